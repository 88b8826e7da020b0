import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { PARTNER_ROLES, type PartnerRole } from '../campaign-partner.entity';

/** The lead invites an organisation to run the campaign with it. */
export class InvitePartnerDto {
  @IsUUID()
  organisationId: string;

  /** `editor`: texts, targets, the letter and updates; `viewer`: the campaign and its stats. */
  @ApiProperty({ enum: [...PARTNER_ROLES] })
  @IsIn(PARTNER_ROLES)
  role: PartnerRole;
}
