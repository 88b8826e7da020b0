import { Transform, plainToInstance } from 'class-transformer';
import { CronExpressionParser } from 'cron-parser';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidationOptions,
  registerDecorator,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

const isProduction = (env: Environment) => env.NODE_ENV === 'production';

/**
 * True when BullMQ can schedule `value` as a repeat `pattern` (UTC): it is parsed by the same
 * cron-parser BullMQ uses, and must have a next run. Also demands the 5 fields of cron (6 with
 * seconds) or an alias such as `@daily`: cron-parser quietly fills in a shorter line, which is
 * a typo far more often than a wish.
 */
export function isCronPattern(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const fields = value.trim().split(/\s+/);
  if (!(fields.length === 5 || fields.length === 6 || (fields.length === 1 && fields[0].startsWith('@')))) return false;
  try {
    CronExpressionParser.parse(value, { tz: 'UTC' }).next();
    return true;
  } catch {
    return false;
  }
}

function IsCronPattern(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCronPattern',
      target: object.constructor,
      propertyName,
      options,
      validator: { validate: isCronPattern },
    });
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True when `host` (an interface to bind) is only reachable from this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return LOOPBACK.check(h, 'ipv4');
  if (isIPv6(h)) return LOOPBACK.check(h, 'ipv6');
  return false;
}

/** Where the servers listen when HOST / BOUNCE_SMTP_HOST are unset: every interface only in production. */
const LOOPBACK_HOST = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/**
 * Every setting Nida reads, validated once at boot. Defaults serve one machine with
 * PostgreSQL and Redis on their standard local ports.
 */
export class Environment {
  /** development | test | production; production demands secrets and never seeds demo data. */
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** Which processes this one runs: HTTP (`api`), queue workers (`worker`) or both (`all`). */
  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  /** HTTP port. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface the HTTP server binds to; unset: 127.0.0.1 outside production, 0.0.0.0 in production. */
  @IsString()
  HOST = LOOPBACK_HOST;

  /** Public base URL, used in links inside emails. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  /** PostgreSQL connection URL; the database is created at start when missing. */
  @Matches(/^postgres(ql)?:\/\/\S+\/[^/\s?]+(\?\S*)?$/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nida';

  /** Size of the PostgreSQL connection pool of each process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Run pending migrations at start. */
  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Redis connection URL (queues, login throttling). */
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key Nida writes, so several installations (or tests) share one Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_PREFIX may hold letters, digits, : _ - (1-64)' })
  REDIS_PREFIX = 'nida';

  /** SMTP URL for outgoing mail (smtp://user:pass@host:port). Required in production; elsewhere smtp://127.0.0.1:1025. */
  @ValidateIf((e: Environment) => isProduction(e) || e.SMTP_URL !== undefined)
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL (required in production)' })
  SMTP_URL?: string;

  /** From address of the platform's own mail. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Nida <no-reply@nida.localhost>';

  /** Secret that signs tokens and keys hashes; at least 32 characters. Required in production. */
  @ValidateIf((e: Environment) => isProduction(e) || e.APP_SECRET !== undefined)
  @IsString({ message: 'APP_SECRET is required in production' })
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters' })
  APP_SECRET?: string;

  /** Email of the first admin, created at boot when no organiser exists. */
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  /** Password of the first admin (12 characters or more). */
  @ValidateIf((e: Environment) => e.ADMIN_EMAIL !== undefined || e.ADMIN_PASSWORD !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set' })
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;

  /** Name of the organisation the first admin belongs to. */
  @IsString()
  @MinLength(2)
  ADMIN_ORGANISATION = 'Nida';

  /** Seed the demo organisation and campaign on the first start with an empty database (never in production). */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /** Lifetime of an organiser's bearer token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  AUTH_TOKEN_TTL_SECONDS = 3600;

  /** Failed logins at one account from one client address before each further attempt from there must wait. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FREE_ATTEMPTS_PER_ACCOUNT = 5;

  /** Failed logins at one account from all addresses together before every attempt at it must wait. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS = 100;

  /** Failed logins one IP address may make (at any accounts) before each further attempt must wait. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FREE_ATTEMPTS_PER_IP = 20;

  /** Longest wait imposed after repeated failed logins, in seconds (the wait doubles up to this). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_DELAY_SECONDS = 900;

  /** How long failed logins are remembered, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  LOGIN_FAILURE_WINDOW_SECONDS = 3600;

  /** Trust X-Forwarded-For from this proxy (an address, CIDR or hop count); empty: trust nothing. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** Largest request body accepted, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 100 * 1024;

  /** Deadline given to an urgent action published without one, in days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  URGENT_ACTION_DEFAULT_DAYS = 30;

  /** How often the sweep that closes campaigns past their deadline runs, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CAMPAIGN_CLOSE_SWEEP_SECONDS = 60;

  /** Lifetime of a signature's confirmation link, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  SIGNATURE_TOKEN_TTL_HOURS = 168;

  /** Emails one signature may cause (confirmations and "already signed" notes); then silence. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  SIGNATURE_MAX_EMAILS = 5;

  /** Confirmations still accepted this long after a campaign closes, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CONFIRM_GRACE_HOURS = 24;

  /** How often the outbox relay looks for mail to (re-)enqueue, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  MAIL_RELAY_INTERVAL_MS = 1000;

  /** An unsent email whose job may have been lost (Redis flushed) is enqueued again after this many seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_REQUEUE_AFTER_SECONDS = 60;

  /** How long a sender's hold on an email or letter lasts unless renewed (every third of it, while sending); a dead sender's work is taken over after this. */
  @Transform(toInt)
  @IsInt()
  @Min(3)
  SEND_LEASE_SECONDS = 30;

  /** Send attempts of one email before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  /** First retry delay after a temporary SMTP failure, in milliseconds (doubles, with jitter). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  MAIL_BACKOFF_MS = 2000;

  /** Emails one worker sends at once (and SMTP connections in its pool). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  MAIL_CONCURRENCY = 5;

  /** How often confirmations are folded into the public counters, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  TALLY_INTERVAL_MS = 500;

  /** Tally events folded per batch. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TALLY_BATCH_SIZE = 10000;

  /** Letters one target may receive in any hour; more wait their turn, in order. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LETTER_PACE_PER_HOUR = 60;

  /** How often the letter dispatcher hands paced letters to the queue, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  LETTER_DISPATCH_INTERVAL_MS = 1000;

  /** How often a digest campaign writes to its targets, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 31)
  LETTER_DIGEST_INTERVAL_HOURS = 24;

  /** Port of the inbound SMTP listener for delivery reports (bounce+<letter id>@…); 0: off. Runs in workers. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  BOUNCE_SMTP_PORT = 0;

  /** Interface the bounce listener binds to; unset: 127.0.0.1 outside production, 0.0.0.0 in production. */
  @IsString()
  BOUNCE_SMTP_HOST = LOOPBACK_HOST;

  /** Hard bounces after which a target's address is suppressed (no more letters go to it). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  BOUNCE_SUPPRESS_AFTER = 3;

  /** How long each process may reuse a public count it read, in milliseconds (0: never). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5000)
  COUNT_CACHE_MS = 500;

  /** How often the public pages' script refreshes the count, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(60000)
  PAGE_POLL_MS = 5000;

  /** How long a proxy may keep a public page (home, campaign, embed), in seconds (0: not at all). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  PAGE_CACHE_SECONDS = 5;

  /** Time zone in which the pages show deadlines (IANA name). */
  @IsTimeZone({ message: 'PAGE_TIME_ZONE must be an IANA time zone such as Asia/Baghdad' })
  PAGE_TIME_ZONE = 'UTC';

  /** Sites allowed to frame the embed pages: `*`, or origins separated by spaces. */
  @Matches(/^(\*|https?:\/\/[^\s/]+( https?:\/\/[^\s/]+)*)$/, { message: 'EMBED_ALLOWED_ORIGINS must be * or http(s) origins separated by spaces' })
  EMBED_ALLOWED_ORIGINS = '*';

  /** When the reconciliation of counters with signatures runs (cron, UTC). */
  @IsCronPattern({ message: 'TALLY_RECONCILE_CRON must be a cron pattern (5 fields, e.g. 17 3 * * *)' })
  TALLY_RECONCILE_CRON = '17 3 * * *';

  /** Time allowed for in-flight requests and jobs to finish on SIGTERM, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

/** Settings whose value is only shown as "set" in messages. */
const SECRET_KEYS = new Set(['APP_SECRET', 'ADMIN_PASSWORD', 'SMTP_URL', 'DATABASE_URL', 'REDIS_URL']);

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentError';
  }
}

/** Reads and validates the environment; throws an EnvironmentError naming each bad variable. */
export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  const known = Object.keys(new Environment());
  const input: Record<string, string> = {};
  for (const key of [...known, 'SMTP_URL', 'APP_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'TRUST_PROXY']) {
    const value = raw[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const env = plainToInstance(Environment, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new EnvironmentError(
      errors.map((e) => {
        const shown = SECRET_KEYS.has(e.property) ? '(hidden)' : JSON.stringify(e.value);
        return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
      }),
    );
  }
  if (env.NODE_ENV !== 'production') {
    // Outside production a newcomer gets working defaults; production must set its own.
    env.APP_SECRET ??= DEVELOPMENT_SECRET;
    env.SMTP_URL ??= DEVELOPMENT_SMTP_URL;
    if (env.ADMIN_EMAIL === undefined && env.ADMIN_PASSWORD === undefined) {
      env.ADMIN_EMAIL = DEVELOPMENT_ADMIN.email;
      env.ADMIN_PASSWORD = DEVELOPMENT_ADMIN.password;
    }
  } else {
    // Production listens on every interface unless told otherwise (it sits behind a proxy or in a container).
    if (input.HOST === undefined) env.HOST = ALL_INTERFACES;
    if (input.BOUNCE_SMTP_HOST === undefined) env.BOUNCE_SMTP_HOST = ALL_INTERFACES;
  }
  const exposed = publicDevelopmentDefaults(env, input);
  if (exposed.length > 0) throw new EnvironmentError(exposed);
  return env;
}

/**
 * The public development secret and admin password (both printed in the README) are refused
 * wherever someone else could use them: in production, and on an HTTP server that listens
 * beyond this machine (HOST not loopback). A worker (APP_ROLE=worker) serves no HTTP.
 */
function publicDevelopmentDefaults(env: Environment, input: Record<string, string>): string[] {
  const servesHttp = env.APP_ROLE !== 'worker';
  const where = isProduction(env)
    ? 'in production'
    : servesHttp && !isLoopbackHost(env.HOST)
      ? `while HOST=${JSON.stringify(env.HOST)} is reachable from other machines (use HOST=127.0.0.1 to keep it on this one)`
      : undefined;
  if (where === undefined) return [];
  const problems: string[] = [];
  if (env.APP_SECRET === DEVELOPMENT_SECRET) {
    problems.push(`APP_SECRET=${input.APP_SECRET === undefined ? '(unset)' : '(hidden)'}: the public development secret must not be used ${where}; set APP_SECRET to 32 or more random characters`);
  }
  if (env.ADMIN_PASSWORD === DEVELOPMENT_ADMIN.password) {
    problems.push(`ADMIN_PASSWORD=${input.ADMIN_PASSWORD === undefined ? '(unset)' : '(hidden)'}: the development admin password must not be used ${where}; set ADMIN_EMAIL and ADMIN_PASSWORD`);
  }
  return problems;
}

/** Outside production without SMTP_URL, mail goes to a local catcher (scripts/start.sh runs maildev there). */
export const DEVELOPMENT_SMTP_URL = 'smtp://127.0.0.1:1025';

/** Used only outside production, when APP_SECRET is unset. */
export const DEVELOPMENT_SECRET = 'nida-development-secret-never-use-in-production';

/** The first admin outside production when ADMIN_EMAIL and ADMIN_PASSWORD are unset (the README shows it). */
export const DEVELOPMENT_ADMIN = { email: 'admin@example.org', password: 'nida-demo-password' };

/** The secret, which validateEnvironment guarantees is present. */
/** An absolute address on this installation: PUBLIC_URL (without a trailing slash) and `path`. */
export function publicLink(env: Environment, path: string): string {
  return `${env.PUBLIC_URL.replace(/\/$/, '')}${path}`;
}

export function appSecret(env: Environment): string {
  if (!env.APP_SECRET) throw new Error('APP_SECRET is not set');
  return env.APP_SECRET;
}
