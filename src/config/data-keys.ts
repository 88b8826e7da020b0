import { createHmac } from 'node:crypto';

/** One key of the keyring that encrypts supporters' data: its id (recorded with every value) and its 32 bytes. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** Key ids: short, and never `plain` (the mark of a value stored unencrypted, see DATA_ENCRYPTION). */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const PLAIN_KEY_ID = 'plain';

/**
 * DATA_KEYS: `id:base64key` entries separated by commas (spaces allowed), each key 32 random
 * bytes (`openssl rand -base64 32`); ids unique. The first encrypts, all decrypt. Returns the
 * keys, or the problem (which never shows a key).
 */
export function parseDataKeys(value: string): { keys: DataKey[] } | { problem: string } {
  const keys: DataKey[] = [];
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (!entries.length) return { problem: 'must list at least one key as id:base64key' };
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const encoded = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id) || id === PLAIN_KEY_ID) {
      return { problem: `entry ${i + 1}: expected id:base64key with an id of letters, digits, - or _ (at most 32, not "${PLAIN_KEY_ID}")` };
    }
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) return { problem: `key "${id}" is not base64` };
    const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (key.length !== 32) return { problem: `key "${id}" must be 32 bytes (it is ${key.length}); make one with: openssl rand -base64 32` };
    if (keys.some((k) => k.id === id)) return { problem: `key id "${id}" is listed twice` };
    keys.push({ id, key });
  }
  return { keys };
}

/** Outside production without DATA_KEYS: one key derived from APP_SECRET (id `dev`), so a newcomer needs nothing. */
export function developmentDataKey(appSecret: string): DataKey {
  return { id: 'dev', key: createHmac('sha256', appSecret).update('nida/data-key/development').digest() };
}
