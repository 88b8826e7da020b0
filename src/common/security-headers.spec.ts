import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("holds helmet's headers with a CSP that allows no inline script", () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('allows images from the photo store when it is elsewhere, and nothing else from there', () => {
    expect(securityHeaders()['content-security-policy']).toContain("img-src 'self' data:;");
    const csp = securityHeaders(['https://photos.example.org'])['content-security-policy'];
    expect(csp).toContain("img-src 'self' data: https://photos.example.org;");
    expect(csp).toContain("default-src 'self';");
  });
});
