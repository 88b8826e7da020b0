import type { CampaignTranslations, Locale } from '../../../common/locale';
import type { CampaignState } from '../../campaigns/dto/campaign-state.dto';
import type { SignatureStatus } from '../signature.entity';

/** What a confirmation token leads to: its signature and campaign (what the confirm page shows). */
export interface TokenLookup {
  tokenHash: Buffer;
  expiresAt: Date;
  signatureId: string;
  signatureStatus: SignatureStatus;
  signerLocale: Locale;
  campaign: CampaignState & { title: string; locale: Locale; translations: CampaignTranslations };
}
