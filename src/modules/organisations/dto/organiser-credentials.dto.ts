import type { OrganiserRole } from '../../../common/principal';

/** What signing in needs of an organiser: who it is and its password hash (never sent to a client). */
export interface OrganiserCredentialsDto {
  id: string;
  organisationId: string;
  role: OrganiserRole;
  passwordHash: string;
  /** Goes into the bearer token (`ver`); see principalOfToken. */
  credentialsVersion: number;
}
