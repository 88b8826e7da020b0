import type { Principal } from '../../../common/principal';

/** The organiser behind a live console session, and the CSRF token every form of theirs must carry. */
export class ConsoleSessionDto {
  principal: Principal;
  name: string;
  email: string;
  csrfToken: string;
}
