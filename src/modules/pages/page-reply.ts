import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../common/locale';
import { isLocale, negotiateLocale } from './page-locale';

export interface PageReplyOptions {
  /** Seconds a proxy may keep the page; 0 or undefined: no-store (forms with errors, per-person pages). */
  publicSeconds?: number;
  /** The page's language came from Accept-Language, so caches must key on it. */
  varyLanguage?: boolean;
  /** Embed pages may be framed by the sites EMBED_ALLOWED_ORIGINS names. */
  frameAncestors?: string;
}

/** Sends a rendered page with the headers the options call for. */
export function sendPage(reply: FastifyReply, status: number, html: string, options: PageReplyOptions = {}) {
  void reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', options.publicSeconds ? `public, max-age=${options.publicSeconds}` : 'no-store');
  if (options.varyLanguage) void reply.header('Vary', 'Accept-Language');
  if (options.frameAncestors) {
    const csp = String(reply.getHeader('content-security-policy') ?? '');
    void reply
      .header('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${options.frameAncestors}`))
      // Partners whose pages require CORP (Cross-Origin-Embedder-Policy) can still frame it.
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .removeHeader('x-frame-options');
  }
  return reply.send(html);
}

/** The language a path starts with (`/ar/c/…`), or null when it names none. */
export function pathLocale(request: FastifyRequest): Locale | null {
  const first = request.url.split(/[/?#]/)[1];
  return isLocale(first) ? first : null;
}

/** The page language: from the path, else the one Accept-Language prefers, else `fallback`. */
export function requestLocale(request: FastifyRequest, fallback: Locale): Locale {
  return pathLocale(request) ?? negotiateLocale(request.headers['accept-language'], fallback);
}

/**
 * Whether a form post comes from another site: the browser says so in Sec-Fetch-Site, or, in
 * browsers without it, in Origin. Requests with neither (old browsers, non-browser clients) pass:
 * they are not cross-site forgeries, which need a victim's modern browser.
 */
export function isCrossSitePost(request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    const host = new URL(origin).host;
    return host !== request.headers.host && origin !== publicOrigin;
  } catch {
    return true;
  }
}
