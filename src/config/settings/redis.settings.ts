import { PatternSetting } from '../setting.decorators';

/** Redis (queues, login throttling, signing limits). */
export class RedisSettings {
  /** Redis connection URL (queues, login throttling, signing limits). */
  @PatternSetting(/^rediss?:\/\/\S+$/, 'REDIS_URL must be a redis:// URL', { hidden: true }) REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key Nida writes, so several installations (or tests) share one Redis. */
  @PatternSetting(/^[A-Za-z0-9:_-]{1,64}$/, 'REDIS_PREFIX may hold letters, digits, : _ - (1-64)') REDIS_PREFIX = 'nida';
}
