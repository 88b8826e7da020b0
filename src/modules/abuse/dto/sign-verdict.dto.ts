/** The limit a held signature went over. */
export type LimitReason = 'ip_burst' | 'ip_hour' | 'domain_hour' | 'email_hour';

/**
 * The decision on one signature (AbuseService.judge):
 * - `block`: a blocked address, range, domain or email: nothing is stored or mailed (the same 202);
 * - `allow`: an allowed source: signed as usual, no limit counted;
 * - `hold`: over a limit: stored as held (no email, not counted) with the reason;
 * - `pass`: signed as usual.
 */
export type SignVerdict = { action: 'block' } | { action: 'allow' } | { action: 'pass' } | { action: 'hold'; reason: LimitReason };

/** Who is signing, as the API or the page form received it. */
export interface SignSource {
  /** The client address (request.ip: X-Forwarded-For only behind TRUST_PROXY), or null. */
  ip: string | null;
  /** Signing's email key (common/email-key.ts). */
  emailKey: string;
}
