import type { LimitReason } from '../../abuse/dto/sign-verdict.dto';

/** Why the page form's bot checks hold a signature: its hidden honeypot field was filled, or it came back too soon (or without a valid render time). */
export type FormHoldReason = 'honeypot' | 'too_fast';

/** `signatures.held_reason` of a held signature: a limit it went over, or the page form's checks. */
export type HeldReason = LimitReason | FormHoldReason;

/** What the caller of SignaturesService.sign knows beyond the signature itself. */
export interface SignOptions {
  /** Set by the page form when its bot checks failed (the API has no such checks): the signature is held for this reason. */
  formHold?: FormHoldReason | null;
}
