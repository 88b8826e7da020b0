import type { CampaignStatus } from '../campaign.entity';
import type { PartnerRole, PartnerStatus } from '../campaign-partner.entity';

/** A partner organisation of a campaign, as the organisations running it see it. */
export class PartnerResponseDto {
  organisationId: string;
  organisationName: string;
  role: PartnerRole;
  /** `invited` (not acting yet), `accepted` or `declined`. */
  status: PartnerStatus;
  invitedAt: string;
  respondedAt: string | null;
}

/** The campaign's organisations: its lead and partners. */
export class PartnerListResponseDto {
  lead: { id: string; name: string };
  items: PartnerResponseDto[];
}

/** An invitation or partnership of the caller's organisation. */
export class PartnershipResponseDto extends PartnerResponseDto {
  campaign: { id: string; slug: string; title: string; status: CampaignStatus };
  lead: { id: string; name: string };
}
