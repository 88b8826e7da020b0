import { ApiProperty } from '@nestjs/swagger';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../campaign.entity';
import { PARTNER_ROLES, PARTNER_STATUSES, type PartnerRole, type PartnerStatus } from '../campaign-partner.entity';

/** A partner organisation of a campaign, as the organisations running it see it. */
export class PartnerResponseDto {
  organisationId: string;
  organisationName: string;
  @ApiProperty({ enum: [...PARTNER_ROLES] })
  role: PartnerRole;
  /** `invited` (not acting yet), `accepted` or `declined`. */
  @ApiProperty({ enum: [...PARTNER_STATUSES] })
  status: PartnerStatus;
  invitedAt: string;
  respondedAt: string | null;
}

/** An organisation named by its id. */
export class OrganisationRefDto {
  id: string;
  name: string;
}

/** The campaign's organisations: its lead and partners. */
export class PartnerListResponseDto {
  lead: OrganisationRefDto;
  items: PartnerResponseDto[];
}

/** The campaign a partnership is about. */
export class PartnershipCampaignDto {
  id: string;
  slug: string;
  title: string;
  @ApiProperty({ enum: [...CAMPAIGN_STATUSES] })
  status: CampaignStatus;
}

/** An invitation or partnership of the caller's organisation. */
export class PartnershipResponseDto extends PartnerResponseDto {
  campaign: PartnershipCampaignDto;
  lead: OrganisationRefDto;
}
