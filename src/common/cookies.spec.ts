import { parseCookies, serializeCookie } from './cookies';

describe('cookies', () => {
  it('reads a Cookie header, the first of a repeated name winning', () => {
    const c = parseCookies('a=1; nida_session=abc_DEF-9;b="q"; a=2; broken; =x');
    expect(c.get('a')).toBe('1');
    expect(c.get('nida_session')).toBe('abc_DEF-9');
    expect(c.get('b')).toBe('q');
    expect(c.has('broken')).toBe(false);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('writes HttpOnly, SameSite=Lax, Path, and Secure only when asked', () => {
    expect(serializeCookie('s', 'v', { secure: false })).toBe('s=v; Path=/; HttpOnly; SameSite=Lax');
    expect(serializeCookie('s', '', { secure: true, maxAge: 0 })).toBe('s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
  });

  it('refuses a value that could inject attributes', () => {
    expect(() => serializeCookie('s', 'v; Domain=evil', { secure: false })).toThrow();
  });
});
