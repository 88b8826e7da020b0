import { LOOPBACK_HOST } from '../environment.rules';
import { IntSetting, PatternSetting, TextSetting } from '../setting.decorators';

/** The HTTP server: where it listens, the address it is known by, what it accepts. */
export class HttpSettings {
  /** HTTP port. */
  @IntSetting({ min: 0, max: 65535 }) PORT = 3000;

  /** Interface the HTTP server binds to; unset: 127.0.0.1 outside production, 0.0.0.0 in production. */
  @TextSetting() HOST = LOOPBACK_HOST;

  /** Public base URL, used in links inside emails. */
  @PatternSetting(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'PUBLIC_URL must be an http(s) URL') PUBLIC_URL = 'http://localhost:3000';

  /** Trust X-Forwarded-For from this proxy (an address, CIDR or hop count); empty: trust nothing. */
  @TextSetting({ optional: true }) TRUST_PROXY?: string;

  /** Largest request body accepted, in bytes. */
  @IntSetting({ min: 1024, max: 10 * 1024 * 1024 }) BODY_LIMIT_BYTES = 100 * 1024;
}
