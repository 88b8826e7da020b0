import { IsSupporterEmail } from '../../../common/is-supporter-email.decorator';

/** "I didn't get the email": the address signed with, as the sign form takes it. */
export class ResendConfirmationDto {
  /** Whether it signed, is waiting or has confirmed is never told: every well-formed address gets the same 202. */
  @IsSupporterEmail()
  email: string;
}
