/** What SignaturesService.anonymise did. */
export interface AnonymisedSignatures {
  /** Signatures anonymised now (those anonymised before are not counted again). */
  signatures: number;
  /** Their letters that had not left yet, cancelled. */
  lettersCancelled: number;
  /** Their unsent emails, deleted. */
  emailsDeleted: number;
}
