import { createHmac } from 'node:crypto';
import { emailKey } from '../../common/email-key';
import { keyedHash } from '../../common/keyed-hash';
import { appSecret, Environment } from '../../config/environment';

/**
 * Finds a supporter's rows by email without storing the email: a keyed HMAC (a key derived from
 * APP_SECRET, so changing APP_SECRET makes every stored index useless) of the normalised address
 * (common/email-key.ts: one person, one index). DATA_KEYS rotations leave it unchanged.
 */
export class BlindIndex {
  private readonly key: string;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('nida/blind-index/email').digest('base64');
  }

  static fromEnvironment(env: Pick<Environment, 'app'>): BlindIndex {
    return new BlindIndex(appSecret(env.app));
  }

  /** The index of an address as typed. */
  email(email: string): string {
    return this.ofKey(emailKey(email));
  }

  /** The index of an address already normalised by emailKey. */
  ofKey(key: string): string {
    return keyedHash(this.key, key);
  }
}
