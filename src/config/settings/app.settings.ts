import { ChoiceSetting, IntSetting, TextSetting } from '../setting.decorators';

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** The process as a whole: which environment and role, its secret, its log and its shutdown. */
export class AppSettings {
  /** development | test | production; production demands secrets and never seeds demo data. */
  @ChoiceSetting(['development', 'test', 'production']) NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** Which processes this one runs: HTTP (`api`), queue workers (`worker`) or both (`all`). */
  @ChoiceSetting(APP_ROLES) APP_ROLE: AppRole = 'all';

  /** Secret that signs tokens and keys hashes; at least 32 characters. Required in production (a development value elsewhere). */
  @TextSetting({ minLength: 32, messages: { missing: 'APP_SECRET is required in production', tooShort: 'APP_SECRET must be at least 32 characters' }, optional: true, hidden: true }) APP_SECRET?: string;

  /** Time allowed for in-flight requests and jobs to finish on SIGTERM, in milliseconds. */
  @IntSetting({ min: 0 }) SHUTDOWN_TIMEOUT_MS = 10000;

  /**
   * How far V8 may let its old generation grow past what the last full collection left, in percent,
   * before collecting again (0: V8's own choice, up to 300 % on a large machine). Garbage that
   * outlives two young collections (rows read from PostgreSQL do) otherwise piles up to about four
   * times the live heap: a 1,000,000-row CSV export then took the api past 300 MB of RSS with 55 MB live.
   * At 50 a 1M export still peaked ~10 MB higher on Node 24 than at 25; at 15, ~10 MB lower, but a
   * process signing under load spent ~45 % more CPU a signature (one full run each; README, Benchmark).
   */
  @IntSetting({ min: 0, max: 300 }) HEAP_GROWTH_PERCENT = 25;

  /**
   * How far a `worker` process lowers its own CPU priority (Unix nice, 0–19; 0 leaves it as
   * started). On a machine where the worker shares the cores with api processes and PostgreSQL,
   * requests then come first and sending takes what they leave: in the benchmark's two-process
   * signing, a worker at nice 0 tripled the api's p99. Only the kernel's share of a contended CPU
   * changes; an idle machine sends as fast. Not applied in the `all` role (one process).
   */
  @IntSetting({ min: 0, max: 19 }) WORKER_NICE = 10;

  /**
   * The queue dashboard at /admin/queues, for admins only (console session or bearer token):
   * `read-only` shows queues and jobs; `read-write` also lets admins retry, promote, clean and
   * remove jobs; `off` does not mount it.
   */
  @ChoiceSetting(['off', 'read-only', 'read-write']) QUEUE_DASHBOARD: 'off' | 'read-only' | 'read-write' = 'read-only';

  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  @ChoiceSetting(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
}
