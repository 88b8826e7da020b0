/** A held signature as its campaign's organisers see it: never the email, only its domain. */
export class HeldSignatureDto {
  id: string;
  /** Null once anonymised (its campaign closed long ago, see SIGNATURE_RETENTION_DAYS_AFTER_CLOSE). */
  name: string | null;
  country: string;
  city: string | null;
  /** Why it was held (e.g. `ip_burst`, `honeypot`). */
  heldReason: string | null;
  createdAt: string;
  /** The email's domain, lower case; null once anonymised. */
  emailDomain: string | null;
}

export class HeldSignatureListResponseDto {
  items: HeldSignatureDto[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export class HeldReleasedResponseDto {
  /** Held signatures that became pending (each mailed a confirmation, within SIGNATURE_MAX_EMAILS). */
  released: number;
}

export class HeldDiscardedResponseDto {
  /** Held signatures deleted. */
  discarded: number;
}
