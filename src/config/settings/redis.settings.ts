import { PatternSetting } from '../setting.decorators';

/** Redis (queues, login throttling, signing limits). */
export class RedisSettings {
  /** Redis connection URL (queues, login throttling, signing limits). */
  @PatternSetting(/^rediss?:\/\/\S+$/, 'REDIS_URL must be a redis:// URL', { hidden: true }) REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * A Redis Cluster instead of one Redis: some of its nodes as `host:port`, separated by commas
   * (the others are found from them). User, password and TLS still come from REDIS_URL.
   */
  @PatternSetting(
    /^\s*[A-Za-z0-9.:[\]_-]+:\d{1,5}\s*(,\s*[A-Za-z0-9.:[\]_-]+:\d{1,5}\s*)*$/,
    'REDIS_CLUSTER_NODES must be host:port entries separated by commas',
    { optional: true },
  )
  REDIS_CLUSTER_NODES?: string;

  /** Prefix of every Redis key Nida writes, so several installations (or tests) share one Redis. */
  @PatternSetting(/^[A-Za-z0-9:_-]{1,64}$/, 'REDIS_PREFIX may hold letters, digits, : _ - (1-64)') REDIS_PREFIX = 'nida';
}
