/**
 * Supporters' data as the tests see it in the database: sealed (src/infra/crypto/keyring.ts) and
 * found by its blind index. The keys are this test process's (test/support/env.ts), as the app's.
 */
import { validateEnvironment } from '../../src/config/environment';
import { BlindIndex } from '../../src/infra/crypto/blind-index';
import { Keyring } from '../../src/infra/crypto/keyring';

let keys: { keyring: Keyring; index: BlindIndex } | undefined;

function crypto(): { keyring: Keyring; index: BlindIndex } {
  if (!keys) {
    const env = validateEnvironment(process.env);
    keys = { keyring: Keyring.fromEnvironment(env), index: BlindIndex.fromEnvironment(env) };
  }
  return keys;
}

/** The blind index the app stores for this email (signatures.email_hash). */
export function emailHash(email: string): string {
  return crypto().index.email(email);
}

/** A signatures row with its email, name, city and comment opened (the other columns as they are). */
export function opened<T extends Record<string, unknown>>(row: T): T {
  const k = crypto().keyring;
  const open = (field: 'email' | 'name' | 'city' | 'comment') =>
    typeof row[field] === 'string' ? k.open(`signature.${field}`, row[field] as string) : row[field];
  return { ...row, email: open('email'), name: open('name'), city: open('city'), comment: open('comment') };
}

/** A value sealed as the app seals it (for rows a test writes straight into signatures). */
export function sealed(field: 'email' | 'name' | 'city' | 'comment', text: string): string {
  return crypto().keyring.seal(`signature.${field}`, text);
}
