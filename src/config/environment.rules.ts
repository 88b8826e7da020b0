import { CronExpressionParser } from 'cron-parser';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Environment } from './environment';

/*
 * The rules of the configuration that no single setting can check on its own: what production
 * must set, the defaults that depend on NODE_ENV, and where the public development secrets are
 * refused. validateEnvironment applies them, in this order, around the settings' own checks.
 */

/** Outside production without SMTP_URL, mail goes to a local catcher (scripts/start.sh runs maildev there). */
export const DEVELOPMENT_SMTP_URL = 'smtp://127.0.0.1:1025';

/** Used only outside production, when APP_SECRET is unset. */
export const DEVELOPMENT_SECRET = 'nida-development-secret-never-use-in-production';

/** The first admin outside production when ADMIN_EMAIL and ADMIN_PASSWORD are unset (the README shows it). */
export const DEVELOPMENT_ADMIN = { email: 'admin@example.org', password: 'nida-demo-password' };

/** Where the servers listen when HOST / BOUNCE_SMTP_HOST are unset: every interface only in production. */
export const LOOPBACK_HOST = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

type Input = Readonly<Record<string, string>>;

/**
 * 1. Settings without a default that must be set here: checked even when unset. Production sets
 * its own secret and mail relay; a first admin named by ADMIN_EMAIL needs a password.
 */
export function demandedSettings(input: Input): Set<string> {
  const demanded = new Set<string>();
  if (input.NODE_ENV === 'production') ['APP_SECRET', 'SMTP_URL', 'DATA_KEYS'].forEach((name) => demanded.add(name));
  if (input.ADMIN_EMAIL !== undefined) demanded.add('ADMIN_PASSWORD');
  // The S3 store needs its bucket, keys and the public address pages link to.
  if (input.STORAGE_BACKEND === 's3') ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_PUBLIC_URL'].forEach((name) => demanded.add(name));
  return demanded;
}

/**
 * 2. Defaults that depend on NODE_ENV, once every setting is valid: outside production a newcomer
 * gets working ones; production listens on every interface unless told otherwise (it sits behind
 * a proxy or in a container).
 */
export function applyEnvironmentDefaults(env: Environment, input: Input): void {
  if (env.app.NODE_ENV !== 'production') {
    env.app.APP_SECRET ??= DEVELOPMENT_SECRET;
    env.mail.SMTP_URL ??= DEVELOPMENT_SMTP_URL;
    if (env.setup.ADMIN_EMAIL === undefined && env.setup.ADMIN_PASSWORD === undefined) {
      env.setup.ADMIN_EMAIL = DEVELOPMENT_ADMIN.email;
      env.setup.ADMIN_PASSWORD = DEVELOPMENT_ADMIN.password;
    }
  } else {
    if (input.HOST === undefined) env.http.HOST = ALL_INTERFACES;
    if (input.BOUNCE_SMTP_HOST === undefined) env.letters.BOUNCE_SMTP_HOST = ALL_INTERFACES;
  }
}

/**
 * 3. The public development secret and admin password (both printed in the README) are refused
 * wherever someone else could use them: in production, and on an HTTP server that listens
 * beyond this machine (HOST not loopback). A worker (APP_ROLE=worker) serves no HTTP.
 */
export function publicDevelopmentDefaults(env: Environment, input: Input): string[] {
  const servesHttp = env.app.APP_ROLE !== 'worker';
  const where =
    env.app.NODE_ENV === 'production'
      ? 'in production'
      : servesHttp && !isLoopbackHost(env.http.HOST)
        ? `while HOST=${JSON.stringify(env.http.HOST)} is reachable from other machines (use HOST=127.0.0.1 to keep it on this one)`
        : undefined;
  const problems: string[] = [];
  if (env.app.NODE_ENV === 'production' && env.privacy.DATA_ENCRYPTION === 'off') {
    problems.push('DATA_ENCRYPTION="off": supporters\' data must be encrypted in production; remove DATA_ENCRYPTION');
  }
  if (where === undefined) return problems;
  if (env.app.APP_SECRET === DEVELOPMENT_SECRET) {
    problems.push(`APP_SECRET=${input.APP_SECRET === undefined ? '(unset)' : '(hidden)'}: the public development secret must not be used ${where}; set APP_SECRET to 32 or more random characters`);
  }
  if (env.setup.ADMIN_PASSWORD === DEVELOPMENT_ADMIN.password) {
    problems.push(`ADMIN_PASSWORD=${input.ADMIN_PASSWORD === undefined ? '(unset)' : '(hidden)'}: the development admin password must not be used ${where}; set ADMIN_EMAIL and ADMIN_PASSWORD`);
  }
  return problems;
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

/**
 * True when BullMQ can schedule `value` as a repeat `pattern` (UTC): it is parsed by the same
 * cron-parser BullMQ uses, and must have a next run. Also demands the 5 fields of cron (6 with
 * seconds) or an alias such as `@daily`: cron-parser quietly fills in a shorter line, which is
 * a typo far more often than a wish. (Used by `@CronSetting`.)
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
