import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisSettings } from '../../config/environment';
import { redisConnectionOptions } from './redis-options';

export const REDIS = Symbol('REDIS');

/**
 * The shared Redis client for small, fast keys (login throttling, health). It fails fast
 * instead of queueing commands while Redis is away, so callers can decide what that means.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [RedisSettings],
      useFactory: (redis: RedisSettings) =>
        new Redis({
          ...redisConnectionOptions(redis.REDIS_URL),
          keyPrefix: `${redis.REDIS_PREFIX}:`,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        }).on('error', () => undefined),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
