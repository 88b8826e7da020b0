/**
 * The few lines of cookie handling the console needs (no @fastify/cookie dependency): reading a
 * Cookie header and writing one Set-Cookie value. Names and values are ours (base64url tokens),
 * so no encoding is needed; anything else in the header is read as given and never trusted.
 */

/** The cookies of a request's Cookie header, by name (the first of a repeated name wins). */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  const value = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of value.split(';').slice(0, 100)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let v = part.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (name && !cookies.has(name)) cookies.set(name, v);
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; omitted: a browser-session cookie; 0: delete it. */
  maxAge?: number;
  secure: boolean;
  path?: string;
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Secure when asked. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_.-]*$/.test(value)) throw new Error('cookie name or value out of range');
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
