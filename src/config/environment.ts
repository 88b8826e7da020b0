import { EnvironmentError } from './environment-error';
import { applyEnvironmentDefaults, demandedSettings, publicDevelopmentDefaults } from './environment.rules';
import { checkSettings, settingsOf } from './setting.decorators';
import { AbuseSettings } from './settings/abuse.settings';
import { AppSettings } from './settings/app.settings';
import { AuthSettings } from './settings/auth.settings';
import { CampaignSettings } from './settings/campaign.settings';
import { ConsoleSettings } from './settings/console.settings';
import { DatabaseSettings } from './settings/database.settings';
import { HttpSettings } from './settings/http.settings';
import { LetterSettings } from './settings/letter.settings';
import { MailSettings } from './settings/mail.settings';
import { MediaSettings } from './settings/media.settings';
import { PageSettings } from './settings/page.settings';
import { PrivacySettings } from './settings/privacy.settings';
import { RedisSettings } from './settings/redis.settings';
import { SetupSettings } from './settings/setup.settings';
import { SignatureSettings } from './settings/signature.settings';
import { TallySettings } from './settings/tally.settings';
import { TrendingSettings } from './settings/trending.settings';
import { UpdateSettings } from './settings/updates.settings';

export { EnvironmentError } from './environment-error';
export { DEVELOPMENT_ADMIN, DEVELOPMENT_SECRET, DEVELOPMENT_SMTP_URL, isCronPattern, isLoopbackHost } from './environment.rules';
export { validateSettings } from './setting.decorators';
export { AbuseSettings } from './settings/abuse.settings';
export { APP_ROLES, AppSettings, type AppRole } from './settings/app.settings';
export { AuthSettings } from './settings/auth.settings';
export { CampaignSettings } from './settings/campaign.settings';
export { ConsoleSettings } from './settings/console.settings';
export { DatabaseSettings } from './settings/database.settings';
export { HttpSettings } from './settings/http.settings';
export { LetterSettings } from './settings/letter.settings';
export { MailSettings } from './settings/mail.settings';
export { MediaSettings } from './settings/media.settings';
export { PageSettings } from './settings/page.settings';
export { PrivacySettings } from './settings/privacy.settings';
export { RedisSettings } from './settings/redis.settings';
export { SetupSettings } from './settings/setup.settings';
export { SignatureSettings } from './settings/signature.settings';
export { TallySettings } from './settings/tally.settings';
export { TrendingSettings } from './settings/trending.settings';
export { UpdateSettings } from './settings/updates.settings';

/**
 * Every concern's settings, under the name the Environment gives them (`env.mail`). Each class is
 * also provided on its own by ConfigModule, so a module may depend on its concern only. Defaults
 * serve one machine with PostgreSQL and Redis on their standard local ports.
 */
export const NAMESPACES = {
  app: AppSettings,
  http: HttpSettings,
  database: DatabaseSettings,
  redis: RedisSettings,
  mail: MailSettings,
  setup: SetupSettings,
  auth: AuthSettings,
  console: ConsoleSettings,
  campaigns: CampaignSettings,
  signatures: SignatureSettings,
  tally: TallySettings,
  letters: LetterSettings,
  pages: PageSettings,
  trending: TrendingSettings,
  abuse: AbuseSettings,
  privacy: PrivacySettings,
  media: MediaSettings,
  updates: UpdateSettings,
} as const;

export type Namespaces = { -readonly [K in keyof typeof NAMESPACES]: InstanceType<(typeof NAMESPACES)[K]> };
const NAMESPACE_KEYS = Object.keys(NAMESPACES) as (keyof Namespaces)[];

/** The name of every setting (= its environment variable), concern by concern. */
export function settingNames(): string[] {
  return NAMESPACE_KEYS.flatMap((key) => settingsOf(NAMESPACES[key]).map((s) => s.name));
}

// The interface gives Environment every setting as a flat property (`env.MAIL_CONCURRENCY`), with
// the type its concern declares; the constructor defines each one as an accessor of that concern
// (`env.mail.MAIL_CONCURRENCY`), so both names read and write the same value.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Environment
  extends AppSettings,
    HttpSettings,
    DatabaseSettings,
    RedisSettings,
    MailSettings,
    SetupSettings,
    AuthSettings,
    ConsoleSettings,
    CampaignSettings,
    SignatureSettings,
    TallySettings,
    LetterSettings,
    PageSettings,
    TrendingSettings,
    AbuseSettings,
    PrivacySettings,
    MediaSettings,
    UpdateSettings {}

/**
 * Every setting Nida reads, validated once at boot (validateEnvironment): the concerns as
 * `env.<concern>.<VARIABLE>` (e.g. `env.mail.MAIL_CONCURRENCY`), and each setting also flat
 * (`env.MAIL_CONCURRENCY`) for the code written before the split. New code injects its
 * concern's class (`MailSettings`) rather than the whole Environment.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Environment implements Namespaces {
  readonly app: AppSettings;
  readonly http: HttpSettings;
  readonly database: DatabaseSettings;
  readonly redis: RedisSettings;
  readonly mail: MailSettings;
  readonly setup: SetupSettings;
  readonly auth: AuthSettings;
  readonly console: ConsoleSettings;
  readonly campaigns: CampaignSettings;
  readonly signatures: SignatureSettings;
  readonly tally: TallySettings;
  readonly letters: LetterSettings;
  readonly pages: PageSettings;
  readonly trending: TrendingSettings;
  readonly abuse: AbuseSettings;
  readonly privacy: PrivacySettings;
  readonly media: MediaSettings;
  readonly updates: UpdateSettings;

  /** Unvalidated: concerns not given hold their defaults. Use validateEnvironment to read the environment. */
  constructor(namespaces: Partial<Namespaces> = {}) {
    const self = this as unknown as Record<string, unknown>;
    for (const key of NAMESPACE_KEYS) {
      const settings = (namespaces[key] ?? new NAMESPACES[key]()) as unknown as Record<string, unknown>;
      self[key] = settings;
      for (const { name } of settingsOf(NAMESPACES[key])) {
        Object.defineProperty(this, name, {
          enumerable: true,
          configurable: true,
          get: () => settings[name],
          set: (value: unknown) => {
            settings[name] = value;
          },
        });
      }
    }
  }
}

/**
 * Reads and validates the environment; throws an EnvironmentError naming each bad variable.
 * Each concern checks its own settings; the rules that span concerns (environment.rules.ts)
 * say which unset ones are demanded, fill in the defaults that depend on NODE_ENV, and refuse
 * the public development secrets where others could use them.
 */
export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  const input: Record<string, string> = {};
  for (const name of settingNames()) {
    const value = raw[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const demanded = demandedSettings(input);
  const namespaces: Partial<Record<keyof Namespaces, object>> = {};
  const problems: string[] = [];
  for (const key of NAMESPACE_KEYS) {
    const checked = checkSettings<object>(NAMESPACES[key], input, demanded);
    namespaces[key] = checked.settings;
    problems.push(...checked.problems);
  }
  if (problems.length > 0) throw new EnvironmentError(problems);
  const env = new Environment(namespaces as Namespaces);
  applyEnvironmentDefaults(env, input);
  const exposed = publicDevelopmentDefaults(env, input);
  if (exposed.length > 0) throw new EnvironmentError(exposed);
  return env;
}

/** An absolute address on this installation: PUBLIC_URL (without a trailing slash) and `path`. */
export function publicLink(http: Pick<HttpSettings, 'PUBLIC_URL'>, path: string): string {
  return `${http.PUBLIC_URL.replace(/\/$/, '')}${path}`;
}

/** The secret, which validateEnvironment guarantees is present. */
export function appSecret(app: Pick<AppSettings, 'APP_SECRET'>): string {
  if (!app.APP_SECRET) throw new Error('APP_SECRET is not set');
  return app.APP_SECRET;
}
