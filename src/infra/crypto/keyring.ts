import { createCipheriv, createDecipheriv } from 'node:crypto';
import { pooledRandomBytes } from '../../common/random-pool';
import { DataKey, developmentDataKey, parseDataKeys, PLAIN_KEY_ID } from '../../config/data-keys';
import { appSecret, Environment } from '../../config/environment';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Which stored value a sealed text is: bound into its tag, so a value cannot be moved to another column. */
export type SealedField = 'signature.email' | 'signature.name' | 'signature.city' | 'signature.comment';

/** Each field's additional authenticated data, made once (an export opens four values a row, a million rows). */
const AAD: Readonly<Record<SealedField, Buffer>> = {
  'signature.email': Buffer.from('signature.email'),
  'signature.name': Buffer.from('signature.name'),
  'signature.city': Buffer.from('signature.city'),
  'signature.comment': Buffer.from('signature.comment'),
};

/**
 * Encrypts supporters' data at rest with AES-256-GCM. A sealed value is `<key id>:<base64 of
 * iv ‖ ciphertext ‖ tag>`, so each records the key that sealed it; the field's name is the
 * additional authenticated data. The first key of DATA_KEYS seals; every listed key opens.
 * With DATA_ENCRYPTION=off (never in production) values are stored as `plain:<text>`, which
 * every keyring still opens and `keys:rotate` encrypts.
 */
export class Keyring {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: DataKey;

  constructor(
    keys: readonly DataKey[],
    private readonly encrypt = true,
  ) {
    if (!keys.length) throw new Error('A keyring needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** DATA_KEYS, or outside production a key derived from APP_SECRET. */
  static fromEnvironment(env: Pick<Environment, 'app'> & { privacy: Pick<Environment['privacy'], 'DATA_KEYS' | 'DATA_ENCRYPTION'> }): Keyring {
    const encrypt = env.privacy.DATA_ENCRYPTION !== 'off';
    if (env.privacy.DATA_KEYS === undefined) return new Keyring([developmentDataKey(appSecret(env.app))], encrypt);
    const parsed = parseDataKeys(env.privacy.DATA_KEYS);
    if ('problem' in parsed) throw new Error(`DATA_KEYS: ${parsed.problem}`);
    return new Keyring(parsed.keys, encrypt);
  }

  /** The id new values are sealed under (`plain` when encryption is off). */
  get currentKeyId(): string {
    return this.encrypt ? this.current.id : PLAIN_KEY_ID;
  }

  seal(field: SealedField, value: string): string {
    if (!this.encrypt) return `${PLAIN_KEY_ID}:${value}`;
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(AAD[field]);
    const body = Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${this.current.id}:${body.toString('base64')}`;
  }

  sealOrNull(field: SealedField, value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : this.seal(field, value);
  }

  /** The text of a sealed value. Throws when its key is not in DATA_KEYS or it was altered. */
  open(field: SealedField, sealed: string): string {
    const colon = sealed.indexOf(':');
    const id = sealed.slice(0, colon);
    if (colon < 0) throw new Error(`A stored ${field} is not sealed`);
    if (id === PLAIN_KEY_ID) return sealed.slice(colon + 1);
    const key = this.byId.get(id);
    if (!key) throw new Error(`A stored ${field} is sealed under key "${id}", which DATA_KEYS does not list`);
    const body = Buffer.from(sealed.slice(colon + 1), 'base64');
    if (body.length < IV_BYTES + TAG_BYTES) throw new Error(`A stored ${field} is damaged`);
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
    decipher.setAAD(AAD[field]);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const text = decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES));
    // final() checks the tag; GCM has nothing left to give then, so no second buffer to join.
    const rest = decipher.final();
    return (rest.length ? Buffer.concat([text, rest]) : text).toString('utf8');
  }

  openOrNull(field: SealedField, sealed: string | null): string | null {
    return sealed === null ? null : this.open(field, sealed);
  }

  /** The id of the key a value is sealed under (`plain` for an unencrypted one). */
  keyIdOf(sealed: string): string {
    return sealed.slice(0, sealed.indexOf(':'));
  }
}
