import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PARTNER_ROLES, type PartnerRole } from '../campaign-partner.entity';

/** The lead changes a partner's role. */
export class UpdatePartnerDto {
  @ApiProperty({ enum: [...PARTNER_ROLES] })
  @IsIn(PARTNER_ROLES)
  role: PartnerRole;
}
