import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 of `value` keyed with the installation's secret, base64url, cut to `length`
 * characters when given: what Nida stores or uses as a key instead of an address or an email
 * (a client's address on its signature, Redis keys of the login throttle and the signing limits).
 */
export function keyedHash(secret: string, value: string, length?: number): string {
  const hash = createHmac('sha256', secret).update(value).digest('base64url');
  return length === undefined ? hash : hash.slice(0, length);
}

/**
 * The keyed hash of a client's address, as Nida stores it instead of the address: on a signature
 * (`ip_hash`, what bulk invalidation and the trending report take) and on an audit event, so one
 * address has one hash everywhere.
 */
export function addressHash(secret: string, ip: string): string {
  return keyedHash(secret, `ip:${ip}`);
}
