import helmet from 'helmet';

/** Helmet's settings: a Content-Security-Policy that allows no inline or third-party script. */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'self'"],
      formAction: ["'self'"],
      // Helmet adds this by default; on a plain-http install (the demo at http://localhost:3000) it
      // would send the browser to https for the page's own stylesheet and form posts.
      upgradeInsecureRequests: null,
    },
  },
  // Same-origin form posts carry their Origin (the pages' CSRF check reads it); other sites get no Referer.
  referrerPolicy: { policy: 'same-origin' },
};

/**
 * The security headers helmet sets, computed once; `imageOrigins` are allowed in img-src too. @fastify/helmet rebuilds helmet's middleware
 * (and re-parses the CSP) on every request: ~8 % of a count read's CPU in `npm run bench`'s
 * profile. The headers never change, so they are worked out at boot and copied onto each reply.
 */
export function securityHeaders(imageOrigins: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  // Photos kept in an S3 bucket are shown from its public address (S3_PUBLIC_URL): images only.
  const csp = HELMET_OPTIONS!.contentSecurityPolicy as { directives: Record<string, unknown> };
  const options = { ...HELMET_OPTIONS, contentSecurityPolicy: { ...csp, directives: { ...csp.directives, imgSrc: ["'self'", 'data:', ...imageOrigins] } } };
  helmet(options)({} as never, res as never, () => undefined);
  return headers;
}
