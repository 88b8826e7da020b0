import { ApiEnum } from '../../../common/api-schema';
import { ORGANISER_ROLES, type OrganiserRole } from '../../../common/principal';

/** An invitation sent: the organiser it created (without a password until they accept) and when its link expires. */
export class InvitationResponseDto {
  organiserId: string;
  organisationId: string;
  email: string;
  @ApiEnum(ORGANISER_ROLES)
  role: OrganiserRole;
  expiresAt: string;
}
