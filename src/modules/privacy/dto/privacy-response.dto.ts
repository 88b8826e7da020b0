/** The answer to every erasure or access request: the same bytes whether or not the address signed anything. */
export class PrivacyRequestAcceptedResponseDto {
  status: 'pending';
}

/** An erasure done through its link (the same answer when the link is used again). */
export class ErasureResponseDto {
  status: 'erased';
}

/** An admin's erasure. */
export class AdminErasureResponseDto {
  /** Signatures anonymised now (0 when the address had none left). */
  erased: number;
}
