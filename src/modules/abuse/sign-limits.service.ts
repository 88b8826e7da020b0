import { keyedHash } from '../../common/keyed-hash';
import { TurnBatches } from '../../common/turn-batches';
import { Inject, Injectable } from '@nestjs/common';
import { AbuseSettings, AppSettings, appSecret } from '../../config/environment';
import type { RedisClient } from '../../infra/redis/redis-connection';
import { REDIS } from '../../infra/redis/redis.module';
import type { LimitReason } from './dto/sign-verdict.dto';

/** Who a signature is counted against. */
export interface LimitSubject {
  /** The client (an IPv4 address or an IPv6 /64: see limitSubject), or null when unknown. */
  client: string | null;
  /** The email's domain, or null when it is a large provider (not limited per domain). */
  domain: string | null;
  /** Signing's email key. */
  emailKey: string;
}

interface Limit {
  reason: LimitReason;
  /** In the Redis key. */
  name: string;
  points: number;
  seconds: number;
  subject: (s: LimitSubject) => string | null;
}

/** Longer than this, Redis is taken as away: signing must not wait on it. */
const REDIS_TIMEOUT_MS = 1000;

/** At most this many signatures in one script call (four counters each: a few hundred INCRs). */
const MAX_BATCH = 64;

/**
 * At most this many script calls in flight per process. The signatures that arrive in one turn of
 * the event loop go together in one call, made at the end of that turn (setImmediate): below this
 * many, at once (no wait on another's answer); at it, they wait and go together with later ones.
 * Each call is a socket write, and on a busy machine a write that wakes Redis costs more than the
 * script: one call a signature cost the api ~25 % more CPU a signature than signing without limits
 * (profile of 1 December 2026: ~145 µs a signature in the write alone).
 */
const MAX_CALLS = 8;

/**
 * The limits of one or more signatures in one Lua script, one round trip. ARGV[1] is how many
 * signatures; then, for each, how many counters it has (k) and k pairs (points, window in ms);
 * KEYS are every signature's counters in the same order. For each counter, INCR, and on the first
 * point PEXPIRE for its window (fixed windows: a client's minute starts with its first signature).
 * The answer, for each signature, is the place (1-based, among its own counters) of the first
 * counter over its points, or 0. Atomic, so every API process shares the counters and concurrent
 * requests are counted exactly.
 */
const CONSUME = `
local answers = {}
local a = 2
local k = 1
for s = 1, tonumber(ARGV[1]) do
  local over = 0
  for i = 1, tonumber(ARGV[a]) do
    local n = redis.call('INCR', KEYS[k])
    if n == 1 then redis.call('PEXPIRE', KEYS[k], tonumber(ARGV[a + 2 * i])) end
    if over == 0 and n > tonumber(ARGV[a + 2 * i - 1]) then over = i end
    k = k + 1
  end
  a = a + 1 + 2 * tonumber(ARGV[a])
  answers[s] = over
end
return answers`;

type LimitsRedis = RedisClient & { signLimitsConsume(keyCount: number, ...args: (string | number)[]): Promise<number[]> };

/** One signature's (or request's) counters: keys, and (points, window ms) for each. */
interface Counters {
  keys: string[];
  args: number[];
}

/** Counters waiting for the next script call, with when their caller stops waiting. */
interface Waiting extends Counters {
  deadline: number;
}

/**
 * The signing rate limits, counted in Redis by one script (CONSUME): per client (burst and hour),
 * per domain and per email. Keys are `<REDIS_PREFIX>:{sign-limit}:<limit>:<keyed hash>`: an HMAC
 * (APP_SECRET) of the address, domain or email, never the value itself. The `{sign-limit}` hash
 * tag puts them all in one Redis Cluster slot, as one script takes the counters of many signers;
 * one master then holds every counter, which is a few small keys per signer.
 *
 * Signatures are counted in batches when many come at once: up to MAX_CALLS script calls run at
 * a time per process, each signature in a call of its own while there are fewer (at ordinary loads
 * none waits for another's answer); beyond that, the signatures that arrive go together in the
 * next call to start (at most MAX_BATCH), so a flood costs one round trip per batch, not per
 * signature. No signature waits on Redis longer than REDIS_TIMEOUT_MS from its arrival, however
 * long the calls before it took.
 *
 * Written here rather than with rate-limiter-flexible's RateLimiterRedis (used at first): that
 * makes one script call per limit, four per signature, and cost signing ~18 % of its throughput in
 * the benchmark (AL/AP 0.82 against a target of 0.9); one call for many keeps the same fixed
 * windows and atomicity.
 */
@Injectable()
export class SignLimitsService {
  private readonly limits: Limit[];
  private readonly redis: LimitsRedis;
  private readonly batches = new TurnBatches<Waiting, number>(
    (batch) => this.call(batch, Math.min(...batch.map((w) => w.deadline))),
    { maxBatch: MAX_BATCH, maxCalls: MAX_CALLS },
  );

  constructor(
    @Inject(REDIS) redis: RedisClient,
    settings: AbuseSettings,
    private readonly app: AppSettings,
  ) {
    redis.defineCommand('signLimitsConsume', { lua: CONSUME });
    this.redis = redis as LimitsRedis;
    this.limits = [
      { reason: 'ip_burst', name: 'ip-burst', points: settings.SIGN_LIMIT_IP_BURST, seconds: 60, subject: (s) => s.client },
      { reason: 'ip_hour', name: 'ip-hour', points: settings.SIGN_LIMIT_IP_HOUR, seconds: 3600, subject: (s) => s.client },
      { reason: 'domain_hour', name: 'domain-hour', points: settings.SIGN_LIMIT_DOMAIN_HOUR, seconds: 3600, subject: (s) => s.domain },
      { reason: 'email_hour', name: 'email-hour', points: settings.SIGN_LIMIT_EMAIL_HOUR, seconds: 3600, subject: (s) => s.emailKey },
    ];
  }

  /**
   * Counts one signature against every limit that applies to it; the first limit it goes over, or
   * null. Throws when Redis does not answer within REDIS_TIMEOUT_MS (the caller lets it pass).
   */
  async consume(s: LimitSubject): Promise<LimitReason | null> {
    const counted = this.limits
      .map((limit) => ({ limit, value: limit.subject(s) }))
      .filter((c): c is { limit: Limit; value: string } => c.value !== null);
    if (!counted.length) return null;
    const keys = counted.map(({ limit, value }) => `{sign-limit}:${limit.name}:${this.keyOf(limit.reason, value)}`);
    const args = counted.flatMap(({ limit }) => [limit.points, limit.seconds * 1000]);
    const over = await this.batches.add({ keys, args, deadline: Date.now() + REDIS_TIMEOUT_MS });
    return over > 0 ? counted[over - 1].limit.reason : null;
  }

  /**
   * Counts one request of another route (privacy requests) against a limit of its own, with the
   * same script: `points` per `seconds` (a fixed window) for one subject (a client). True when this
   * request goes over it. Keys are `<REDIS_PREFIX>:request-limit:<name>:<keyed hash>` (another
   * cluster slot than the signing counters: a call of its own). Throws as consume does.
   */
  async consumeRequest(name: string, subject: string, points: number, seconds: number): Promise<boolean> {
    const key = `request-limit:${name}:${keyedHash(appSecret(this.app), `request-limit:${name}:${subject}`, 32)}`;
    const [over] = await this.call([{ keys: [key], args: [points, seconds * 1000] }], Date.now() + REDIS_TIMEOUT_MS);
    return over > 0;
  }

  /** The script over these signatures' counters, answered by `deadline` (epoch ms): each one's first counter over its points, or 0. */
  private async call(batch: Counters[], deadline: number): Promise<number[]> {
    const keys = batch.flatMap((c) => c.keys);
    const args = [batch.length, ...batch.flatMap((c) => [c.keys.length, ...c.args])];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)), Math.max(deadline - Date.now(), 0));
    });
    try {
      const answers = await Promise.race([this.redis.signLimitsConsume(keys.length, ...keys, ...args), timeout]);
      if (!Array.isArray(answers) || answers.length !== batch.length) throw new Error('the limits script answered unexpectedly');
      return answers.map(Number);
    } finally {
      clearTimeout(timer);
    }
  }

  private keyOf(reason: LimitReason, value: string): string {
    return keyedHash(appSecret(this.app), `sign-limit:${reason}:${value}`, 32);
  }
}
