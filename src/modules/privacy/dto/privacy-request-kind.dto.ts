export const PRIVACY_REQUEST_KINDS = ['erasure', 'access'] as const;
/** What a supporter asked for: to be erased, or to be told what Nida holds about them. */
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
