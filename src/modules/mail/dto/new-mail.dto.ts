import type { MailKind } from '../mail-outbox.entity';

/** An email to queue together with the change that causes it, in the caller's transaction. */
export interface NewMail {
  kind: MailKind;
  signatureId: string;
  /** The confirmation token's seed (kept until the email is sent); confirmations only. */
  tokenSeed?: Buffer;
}
