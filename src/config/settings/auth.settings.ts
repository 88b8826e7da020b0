import { IntSetting } from '../setting.decorators';

/** Organisers' sign-in: token lifetime and the slowing of failed logins. */
export class AuthSettings {
  /** Lifetime of an organiser's bearer token, in seconds. */
  @IntSetting({ min: 60, max: 86400 }) AUTH_TOKEN_TTL_SECONDS = 3600;

  /** Failed logins at one account from one client address before each further attempt from there must wait. */
  @IntSetting({ min: 1 }) LOGIN_FREE_ATTEMPTS_PER_ACCOUNT = 5;

  /** Failed logins at one account from all addresses together before every attempt at it must wait. */
  @IntSetting({ min: 1 }) LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS = 100;

  /** Failed logins one IP address may make (at any accounts) before each further attempt must wait. */
  @IntSetting({ min: 1 }) LOGIN_FREE_ATTEMPTS_PER_IP = 20;

  /** The wait after the free attempts are used up, in seconds; each further failure doubles it. */
  @IntSetting({ min: 1, max: 3600 }) LOGIN_FIRST_DELAY_SECONDS = 1;

  /** Longest wait imposed after repeated failed logins, in seconds (the wait doubles up to this). */
  @IntSetting({ min: 1 }) LOGIN_MAX_DELAY_SECONDS = 900;

  /** How long failed logins are remembered, in seconds. */
  @IntSetting({ min: 60 }) LOGIN_FAILURE_WINDOW_SECONDS = 3600;
}
