import { isWellFormedToken, newTokenSeed, sameHash, tokenFromSeed, tokenHash } from './confirmation-token';

describe('confirmation tokens', () => {
  const secret = 'x'.repeat(40);

  it('derives a 256-bit, URL-safe token from a random seed', () => {
    const token = tokenFromSeed(secret, newTokenSeed());
    expect(isWellFormedToken(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('gives another token for another seed or another secret', () => {
    const seed = newTokenSeed();
    expect(tokenFromSeed(secret, seed)).toBe(tokenFromSeed(secret, Buffer.from(seed)));
    expect(tokenFromSeed(secret, seed)).not.toBe(tokenFromSeed(secret, newTokenSeed()));
    expect(tokenFromSeed(secret, seed)).not.toBe(tokenFromSeed('y'.repeat(40), seed));
  });

  it('stores a hash that matches only its token', () => {
    const token = tokenFromSeed(secret, newTokenSeed());
    expect(sameHash(tokenHash(token), tokenHash(token))).toBe(true);
    expect(sameHash(tokenHash(token), tokenHash(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')))).toBe(false);
    expect(tokenHash(token).toString('hex')).not.toContain(Buffer.from(token).toString('hex'));
  });

  it('rejects malformed tokens before any lookup', () => {
    for (const bad of ['', 'short', 'a'.repeat(44), `${'a'.repeat(42)}=`, 42, null]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });
});
