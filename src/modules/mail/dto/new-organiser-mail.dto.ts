import type { Locale } from '../../../common/locale';
import type { OrganiserMailKind } from '../mail-outbox.entity';

export type { OrganiserMailKind } from '../mail-outbox.entity';

/**
 * An email to an organiser (an admin's trending alert), queued in the caller's transaction: its
 * template (`src/templates/email/<kind without its prefix>.<locale>.*.hbs`) is rendered from
 * `payload`, in `locale`. The payload is stored with the row, so it holds only what the organiser
 * may read: never a supporter's email or name.
 */
export interface NewOrganiserMail {
  kind: OrganiserMailKind;
  toOrganiserId: string;
  locale: Locale;
  payload: Record<string, unknown>;
  /**
   * A one-use link's seed: the email then carries `link`, PUBLIC_URL + `payload.linkPath` + the
   * token derived from the seed (src/common/confirmation-token.ts). Kept until the email is sent.
   */
  tokenSeed?: Buffer;
}
