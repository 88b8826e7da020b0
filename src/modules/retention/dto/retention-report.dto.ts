/** What one retention run did (or, for a dry run, would do), per rule. */
export interface RetentionReport {
  dryRun: boolean;
  /** The settings the run applied (PrivacySettings). */
  pendingRetentionDays: number;
  mailRetentionDays: number;
  signatureRetentionDaysAfterClose: number;
  updateDeliveryRetentionDays: number;
  /** Never-confirmed signatures (pending or held) deleted, with their tokens and emails. */
  unconfirmedDeleted: number;
  /** Sent or failed emails deleted (their outbox rows). */
  emailsPurged: number;
  /** Campaigns closed or won long enough ago whose supporters were anonymised. */
  campaignsAnonymised: number;
  /** Their signatures anonymised (all statuses; counts and breakdowns unchanged). */
  signaturesAnonymised: number;
  /** Their letters that had not left, cancelled; null for a dry run (not counted). */
  lettersCancelled: number | null;
  /** Delivery rows of updates whose send finished long enough ago, deleted (the updates keep their counts). */
  updateDeliveriesPurged: number;
}
