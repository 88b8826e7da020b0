import { ApiEnum } from '../../../common/api-schema';
import { type Organiser } from '../organiser.entity';
import { ORGANISER_ROLES, type OrganiserRole } from '../../../common/principal';

/** An organiser as the API shows it: never the password or its hash. */
export class OrganiserResponseDto {
  id: string;
  organisationId: string;
  email: string;
  name: string;
  @ApiEnum(ORGANISER_ROLES)
  role: OrganiserRole;
  createdAt: string;
  /** When an admin disabled the organiser; null while enabled. */
  disabledAt: string | null;

  static from(o: Organiser): OrganiserResponseDto {
    return {
      id: o.id,
      organisationId: o.organisationId,
      email: o.email,
      name: o.name,
      role: o.role,
      createdAt: o.createdAt.toISOString(),
      disabledAt: o.disabledAt?.toISOString() ?? null,
    };
  }
}
