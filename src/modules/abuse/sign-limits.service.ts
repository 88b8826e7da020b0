import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AbuseSettings, AppSettings, appSecret } from '../../config/environment';
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
  limiter: RateLimiterRedis;
  subject: (s: LimitSubject) => string | null;
}

/** Longer than this, Redis is taken as away: signing must not wait on it. */
const REDIS_TIMEOUT_MS = 1000;

/**
 * The signing rate limits, counted in Redis by rate-limiter-flexible's RateLimiterRedis: each count
 * is one Lua script (atomic), so every API process shares the same counters and concurrent
 * requests are counted exactly. Fixed windows: a client's minute starts with its first signature.
 * Keys are `<REDIS_PREFIX>:sign-limit:<limit>:<keyed hash>`: an HMAC (APP_SECRET) of the address,
 * domain or email, never the value itself.
 */
@Injectable()
export class SignLimitsService {
  private readonly limits: Limit[];

  constructor(
    @Inject(REDIS) redis: Redis,
    settings: AbuseSettings,
    private readonly app: AppSettings,
  ) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `sign-limit:${name}`, points, duration });
    this.limits = [
      { reason: 'ip_burst', limiter: limiter('ip-burst', settings.SIGN_LIMIT_IP_BURST, 60), subject: (s) => s.client },
      { reason: 'ip_hour', limiter: limiter('ip-hour', settings.SIGN_LIMIT_IP_HOUR, 3600), subject: (s) => s.client },
      { reason: 'domain_hour', limiter: limiter('domain-hour', settings.SIGN_LIMIT_DOMAIN_HOUR, 3600), subject: (s) => s.domain },
      { reason: 'email_hour', limiter: limiter('email-hour', settings.SIGN_LIMIT_EMAIL_HOUR, 3600), subject: (s) => s.emailKey },
    ];
  }

  /**
   * Counts one signature against every limit that applies (all at once: a held signature is
   * counted too) and returns the first limit it went over, in the order ip_burst, ip_hour,
   * domain_hour, email_hour; null when it is within all. Throws when Redis does not answer.
   */
  async consume(s: LimitSubject): Promise<LimitReason | null> {
    const counted = this.limits.map(async ({ reason, limiter, subject }) => {
      const value = subject(s);
      if (value === null) return null;
      try {
        await limiter.consume(this.keyOf(reason, value));
        return null;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return reason;
        throw outcome;
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
    });
    try {
      const reasons = await Promise.race([Promise.all(counted), timeout]);
      return reasons.find((r) => r !== null) ?? null;
    } finally {
      clearTimeout(timer);
    }
  }

  private keyOf(reason: LimitReason, value: string): string {
    return createHmac('sha256', appSecret(this.app)).update(`sign-limit:${reason}:${value}`).digest('base64url').slice(0, 32);
  }
}
