/** One batch of a retention rule over signatures, walked in id order (keyset). */
export interface RetentionBatch {
  /** Signatures the batch looked at: fewer than the batch size means the rule is done. */
  seen: number;
  /** The last id looked at: the next batch starts after it. */
  last: string | null;
  /** Signatures deleted or anonymised (some looked at may have changed meanwhile and be left). */
  changed: number;
  /** Letters that had not left, cancelled with them. */
  lettersCancelled: number;
}
