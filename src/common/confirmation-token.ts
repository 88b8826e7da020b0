import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes } from './random-pool';

/**
 * Confirmation tokens. Each email gets a fresh 32-byte random seed, kept in its outbox row until
 * the email is sent; the token in the link is HMAC-SHA256(APP_SECRET, seed), 256 bits, and the
 * database keeps only SHA-256(token). A copy of the database alone yields no working link.
 */
export function newTokenSeed(): Buffer {
  return pooledRandomBytes(32);
}

export function tokenFromSeed(secret: string, seed: Buffer): string {
  return createHmac('sha256', secret).update('nida:confirm:').update(seed).digest('base64url');
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A token as it appears in a link: 43 base64url characters. Anything else is not looked up. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A fresh token: its seed (kept in the outbox row until the email is sent), its hash (for the database) and its expiry. */
export interface SeededToken {
  seed: Buffer;
  hash: Buffer;
  expiresAt: Date;
}

/** A new token valid for `ttlMs`: signatures' confirmations and privacy's erasure links alike. */
export function newSeededToken(secret: string, ttlMs: number): SeededToken {
  const seed = newTokenSeed();
  return { seed, hash: tokenHash(tokenFromSeed(secret, seed)), expiresAt: new Date(Date.now() + ttlMs) };
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
