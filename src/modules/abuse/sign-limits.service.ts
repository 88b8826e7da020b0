import { keyedHash } from '../../common/keyed-hash';
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

/**
 * All of a signature's limits in one Lua script, one round trip: for each counter, INCR, and on
 * the first point PEXPIRE for its window (fixed windows: a client's minute starts with its first
 * signature); the answer is the index of the first counter over its points, or 0. Atomic, so
 * every API process shares the counters and concurrent requests are counted exactly.
 */
const CONSUME = `
local over = 0
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, tonumber(ARGV[2 * i])) end
  if over == 0 and n > tonumber(ARGV[2 * i - 1]) then over = i end
end
return over`;

type LimitsRedis = RedisClient & { signLimitsConsume(keyCount: number, ...args: (string | number)[]): Promise<number> };

/**
 * The signing rate limits, counted in Redis by one script per signature (CONSUME): per client
 * (burst and hour), per domain and per email. Keys are `<REDIS_PREFIX>:{sign-limit}:<limit>:<keyed
 * hash>`: an HMAC (APP_SECRET) of the address, domain or email, never the value itself. The
 * `{sign-limit}` hash tag puts them all in one Redis Cluster slot, as one script takes a
 * signature's four counters, whose subjects differ; one master then holds every counter, which
 * is a few small keys per signer and one script call per signature.
 *
 * Written here rather than with rate-limiter-flexible's RateLimiterRedis (used at first): that
 * makes one script call per limit, four per signature, and cost signing ~18 % of its throughput in
 * the benchmark (AL/AP 0.82 against a target of 0.9); one call for all four keeps the same fixed
 * windows and atomicity.
 */
@Injectable()
export class SignLimitsService {
  private readonly limits: Limit[];
  private readonly redis: LimitsRedis;

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
    const over = await this.run(keys, args);
    return over > 0 ? counted[over - 1].limit.reason : null;
  }

  /**
   * Counts one request of another route (privacy requests) against a limit of its own, with the
   * same script: `points` per `seconds` (a fixed window) for one subject (a client). True when this
   * request goes over it. Keys are `<REDIS_PREFIX>:request-limit:<name>:<keyed hash>`. Throws as consume does.
   */
  async consumeRequest(name: string, subject: string, points: number, seconds: number): Promise<boolean> {
    const key = `request-limit:${name}:${keyedHash(appSecret(this.app), `request-limit:${name}:${subject}`, 32)}`;
    return (await this.run([key], [points, seconds * 1000])) > 0;
  }

  /** The script over these keys, within REDIS_TIMEOUT_MS: the index of the first counter over its points, or 0. */
  private async run(keys: string[], args: number[]): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.redis.signLimitsConsume(keys.length, ...keys, ...args), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private keyOf(reason: LimitReason, value: string): string {
    return keyedHash(appSecret(this.app), `sign-limit:${reason}:${value}`, 32);
  }
}
