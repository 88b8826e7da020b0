import { IntSetting } from '../setting.decorators';

/** The organiser console (server-rendered pages): how long a signed-in session lasts. */
export class ConsoleSettings {
  /** A console session ends after this many minutes without a request. */
  @IntSetting({ min: 1, max: 1440 }) CONSOLE_SESSION_IDLE_MINUTES = 60;

  /** A console session ends this many hours after sign-in, however active. */
  @IntSetting({ min: 1, max: 720 }) CONSOLE_SESSION_MAX_HOURS = 12;

  /** How long a forgotten password's reset link works, in minutes. */
  @IntSetting({ min: 5, max: 1440 }) CONSOLE_RESET_LINK_MINUTES = 60;

  /** How long an invitation's link works, in hours. */
  @IntSetting({ min: 1, max: 720 }) CONSOLE_INVITATION_HOURS = 168;
}
