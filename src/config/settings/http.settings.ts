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

  /** Port of a separate listener that serves only GET /metrics (Prometheus), in every role; 0: off. */
  @IntSetting({ min: 0, max: 65535 }) METRICS_PORT = 0;

  /** Interface the metrics listener binds to; unset: HOST's value (127.0.0.1 outside production, 0.0.0.0 in production). */
  @TextSetting({ optional: true }) METRICS_HOST?: string;

  /**
   * Bearer token for /metrics (at least 32 characters): with it, the HTTP app also answers GET /metrics
   * to `Authorization: Bearer <token>`, and the metrics listener asks for it too; unset: /metrics is 404 on the HTTP app.
   */
  @TextSetting({ minLength: 32, messages: { tooShort: 'METRICS_TOKEN must be at least 32 characters' }, optional: true, hidden: true }) METRICS_TOKEN?: string;
}
