import { createHmac } from 'node:crypto';
import { isWellFormedToken, newTokenSeed, tokenHash } from './confirmation-token';

/**
 * Officials' answer links. Each target gets a 32-byte random seed with its first letter; the token
 * in the link is HMAC-SHA256(APP_SECRET, "nida:answer:" + seed), 256 bits, and the database keeps
 * the seed and SHA-256(token), which it looks links up by. A copy of the database alone yields no
 * working link; changing APP_SECRET voids every link (the next letter carries the new one).
 */
export function answerTokenFromSeed(secret: string, seed: Buffer): string {
  return createHmac('sha256', secret).update('nida:answer:').update(seed).digest('base64url');
}

export { isWellFormedToken as isWellFormedAnswerToken, newTokenSeed as newAnswerSeed, tokenHash as answerTokenHash };

/** The path of the answer page for a token, in a language: `/{lang}/answer/{token}`. */
export function answerPath(locale: string, token: string): string {
  return `/${locale}/answer/${encodeURIComponent(token)}`;
}
