import { newSeededToken } from '../../common/confirmation-token';
import { appSecret, Environment } from '../../config/environment';
import type { NewToken } from './signatures.repository';

const HOUR_MS = 3_600_000;

/** A fresh confirmation token: its seed (for the email) and its hash (for the database), valid SIGNATURE_TOKEN_TTL_HOURS. */
export function newConfirmationToken(env: Environment): NewToken {
  return newSeededToken(appSecret(env), env.SIGNATURE_TOKEN_TTL_HOURS * HOUR_MS);
}
