import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Unsubscribe links, derived, never stored: the token is a signature's id (16 bytes) and the first
 * 16 bytes of HMAC-SHA256(a key derived from APP_SECRET, that id): 43 base64url characters. Only
 * the installation can make one; it names the signature (and so the campaign, its organisation
 * and the blind index of the address), never the email. Changing APP_SECRET voids every link.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('nida/unsubscribe').digest();
  }

  private tag(id: Buffer): Buffer {
    return createHmac('sha256', this.key).update(id).digest().subarray(0, 16);
  }

  /**
   * The token for a signature id and, for an update's email, the organisation that sent it (a
   * campaign's lead or a partner: the unsubscribe is from that organisation): 64 characters then.
   */
  forSignature(signatureId: string, senderId?: string): string {
    const id = Buffer.from(signatureId.replace(/-/g, ''), 'hex');
    const named = senderId ? Buffer.concat([id, Buffer.from(senderId.replace(/-/g, ''), 'hex')]) : id;
    return Buffer.concat([named, this.tag(named)]).toString('base64url');
  }

  /** The signature id a token names, or null when it is malformed or not one of ours (constant-time check). */
  signatureOf(token: unknown): string | null {
    return this.read(token)?.signatureId ?? null;
  }

  /** The signature and the sending organisation (null in a link without one) a token names, or null. */
  read(token: unknown): { signatureId: string; organisationId: string | null } | null {
    if (typeof token !== 'string' || !/^(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{64})$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== 32 && raw.length !== 48) return null;
    const named = raw.subarray(0, raw.length - 16);
    if (!timingSafeEqual(raw.subarray(raw.length - 16), this.tag(named))) return null;
    const signatureId = uuidOf(named.subarray(0, 16));
    const organisationId = named.length === 32 ? uuidOf(named.subarray(16)) : null;
    if (!signatureId || (named.length === 32 && !organisationId)) return null;
    return { signatureId, organisationId };
  }
}

function uuidOf(bytes: Buffer): string | null {
  const hex = bytes.toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return UUID.test(uuid) ? uuid : null;
}

/** The update delivery a bounce address stands for (VERP: bounce+u-<delivery id>@domain), or null. */
export function deliveryIdFromBounceAddress(address: string): string | null {
  return /^bounce\+u-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i.exec(address.trim())?.[1]?.toLowerCase() ?? null;
}

/** The unsubscribe token a mailto address carries (unsubscribe+<token>@domain), or null. */
export function tokenFromUnsubscribeAddress(address: string): string | null {
  return /^unsubscribe\+([A-Za-z0-9_-]{64}|[A-Za-z0-9_-]{43})@/.exec(address.trim())?.[1] ?? null;
}
