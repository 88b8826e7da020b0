import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisSettings } from '../../config/environment';
import { createRedis, quit, type RedisClient } from './redis-connection';

export const REDIS = Symbol('REDIS');

/**
 * The shared Redis client for small, fast keys (login throttling, signing limits, health): one
 * Redis or a cluster (REDIS_CLUSTER_NODES). It fails fast instead of queueing commands while Redis
 * is away, so callers can decide what that means. A script over several keys must keep them in
 * one hash slot (a `{tag}` in the key) to run on a cluster.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [RedisSettings],
      useFactory: (redis: RedisSettings) =>
        createRedis(redis, {
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
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await quit(this.redis);
  }
}
