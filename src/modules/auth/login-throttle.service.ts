import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type Redis from 'ioredis';
import { appSecret, Environment } from '../../config/environment';
import { REDIS } from '../../infra/redis/redis.module';

interface Bucket {
  key: string;
  free: number;
}

/**
 * Slows down repeated failed logins, per account and per client address: after the free
 * attempts, each further failure doubles the wait before the next try (1 s, 2 s, 4 s … up to
 * LOGIN_MAX_DELAY_SECONDS). Keys hold a keyed hash, never the email or the address.
 * If Redis is unreachable, logins go on unthrottled (and a warning is logged): locking every
 * organiser out because Redis restarted would be worse.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly env: Environment,
  ) {}

  private buckets(email: string, ip: string): Bucket[] {
    const h = (v: string) => createHmac('sha256', appSecret(this.env)).update(v).digest('base64url').slice(0, 32);
    return [
      { key: `login:account:${h(`account:${email}`)}`, free: this.env.LOGIN_FREE_ATTEMPTS_PER_ACCOUNT },
      { key: `login:ip:${h(`ip:${ip}`)}`, free: this.env.LOGIN_FREE_ATTEMPTS_PER_IP },
    ];
  }

  /** Seconds the caller must still wait, or 0. */
  async waitSeconds(email: string, ip: string): Promise<number> {
    try {
      const now = Date.now();
      const untils = await Promise.all(this.buckets(email, ip).map((b) => this.redis.hget(b.key, 'until')));
      const until = Math.max(0, ...untils.map((u) => Number(u ?? 0)));
      return until > now ? Math.ceil((until - now) / 1000) : 0;
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name } }, 'Login throttle unavailable (Redis)');
      return 0;
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    try {
      const now = Date.now();
      for (const bucket of this.buckets(email, ip)) {
        const failures = await this.redis.hincrby(bucket.key, 'failures', 1);
        const over = failures - bucket.free;
        if (over >= 0) {
          const delay = Math.min(2 ** Math.min(over, 30), this.env.LOGIN_MAX_DELAY_SECONDS);
          await this.redis.hset(bucket.key, 'until', String(now + delay * 1000));
        }
        await this.redis.expire(bucket.key, this.env.LOGIN_FAILURE_WINDOW_SECONDS);
      }
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name } }, 'Login throttle unavailable (Redis)');
    }
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.del(this.buckets(email, ip)[0].key).catch(() => undefined);
  }
}
