import { EnvironmentError, validateEnvironment } from './environment';

/**
 * What validateEnvironment answered before the settings were split by concern (the snapshot was
 * written by the single `Environment` class): every default, and the message for bad values of
 * every variable. Outside clients and operators rely on both, so they must not change.
 */
const VARIABLES = [
  'NODE_ENV', 'APP_ROLE', 'PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'DATABASE_POOL_SIZE', 'MIGRATIONS_RUN',
  'REDIS_URL', 'REDIS_PREFIX', 'SMTP_URL', 'MAIL_FROM', 'APP_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD',
  'ADMIN_ORGANISATION', 'DEMO_DATA', 'AUTH_TOKEN_TTL_SECONDS', 'LOGIN_FREE_ATTEMPTS_PER_ACCOUNT',
  'LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS', 'LOGIN_FREE_ATTEMPTS_PER_IP', 'LOGIN_MAX_DELAY_SECONDS',
  'LOGIN_FAILURE_WINDOW_SECONDS', 'TRUST_PROXY', 'BODY_LIMIT_BYTES', 'URGENT_ACTION_DEFAULT_DAYS',
  'CAMPAIGN_CLOSE_SWEEP_SECONDS', 'SIGNATURE_TOKEN_TTL_HOURS', 'SIGNATURE_MAX_EMAILS', 'CONFIRM_GRACE_HOURS',
  'MAIL_RELAY_INTERVAL_MS', 'MAIL_REQUEUE_AFTER_SECONDS', 'SEND_LEASE_SECONDS', 'MAIL_MAX_ATTEMPTS', 'MAIL_BACKOFF_MS',
  'MAIL_CONCURRENCY', 'TALLY_INTERVAL_MS', 'TALLY_BATCH_SIZE', 'LETTER_PACE_PER_HOUR', 'LETTER_DISPATCH_INTERVAL_MS',
  'LETTER_DIGEST_INTERVAL_HOURS', 'BOUNCE_SMTP_PORT', 'BOUNCE_SMTP_HOST', 'BOUNCE_SUPPRESS_AFTER', 'COUNT_CACHE_MS',
  'PAGE_POLL_MS', 'PAGE_CACHE_SECONDS', 'PAGE_TIME_ZONE', 'EMBED_ALLOWED_ORIGINS', 'TALLY_RECONCILE_CRON',
  'SHUTDOWN_TIMEOUT_MS', 'LOG_LEVEL',
];

/** The settings as plain values (whatever else the validated object also offers). */
const flat = (raw: Record<string, string>) => {
  const env = validateEnvironment(raw) as unknown as Record<string, unknown>;
  return Object.fromEntries(VARIABLES.map((name) => [name, env[name]]));
};

/** The problems named, in the order given, or `ok`. */
const outcome = (raw: Record<string, string>): string[] | 'ok' => {
  try {
    validateEnvironment(raw);
    return 'ok';
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return error.problems;
  }
};

/** The same, sorted: when several variables are wrong, the order they are listed in is not promised. */
const sortedOutcome = (raw: Record<string, string>) => {
  const result = outcome(raw);
  return result === 'ok' ? result : [...result].sort();
};

const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org', APP_SECRET: 'p'.repeat(32), DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

describe('validateEnvironment, as before the split by concern', () => {
  it('gives the same defaults in development, test and production', () => {
    expect({
      development: flat({}),
      test: flat({ NODE_ENV: 'test' }),
      production: flat(production),
    }).toMatchSnapshot();
  });

  it('gives the same message for a bad value of every variable', () => {
    const bad = ['nonsense', '-1', '99999999', 'a', '1.5', 'http://'];
    expect(Object.fromEntries(VARIABLES.map((name) => [name, bad.map((value) => [value, outcome({ [name]: value })])]))).toMatchSnapshot();
  });

  it('gives the same messages for the rules that span settings', () => {
    expect({
      productionBare: sortedOutcome({ NODE_ENV: 'production' }),
      productionShortSecret: outcome({ ...production, APP_SECRET: 'short' }),
      adminEmailWithoutPassword: outcome({ ADMIN_EMAIL: 'a@example.org' }),
      adminPasswordWithoutEmail: outcome({ ADMIN_PASSWORD: 'a-password-of-my-own' }),
      adminPasswordTooLong: outcome({ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'p'.repeat(257) }),
      adminBadEmail: outcome({ ADMIN_EMAIL: 'nobody', ADMIN_PASSWORD: 'a-password-of-my-own' }),
      openHost: sortedOutcome({ HOST: '0.0.0.0' }),
      openHostWorker: outcome({ HOST: '0.0.0.0', APP_ROLE: 'worker' }),
      openHostOwnSecret: outcome({ HOST: '0.0.0.0', APP_SECRET: 'x'.repeat(40) }),
      productionDevelopmentSecret: outcome({ ...production, APP_SECRET: 'nida-development-secret-never-use-in-production' }),
      productionDevelopmentPassword: outcome({ ...production, ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'nida-demo-password' }),
      many: sortedOutcome({ PORT: 'eighty', APP_ROLE: 'both', MIGRATIONS_RUN: 'maybe', REDIS_URL: 'localhost', PAGE_TIME_ZONE: 'Mars/Olympus', LOG_LEVEL: 'loud' }),
    }).toMatchSnapshot();
  });

  it('writes the same error message', () => {
    expect(() => validateEnvironment({ PORT: 'eighty', BODY_LIMIT_BYTES: '1' })).toThrowErrorMatchingSnapshot();
  });
});
