import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RedisClient } from '../../infra/redis/redis-connection';
import { REDIS } from '../../infra/redis/redis.module';

const TIMEOUT_MS = 1500;

export type Check = 'up' | 'down';

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
  ]);
}

/** Whether PostgreSQL and Redis answer, each within 1.5 s. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async checks(): Promise<{ database: Check; redis: Check }> {
    const [database, redis] = await Promise.all([
      within(this.dataSource.query('SELECT 1')).then((): Check => 'up', (): Check => 'down'),
      within(this.redis.ping()).then((): Check => 'up', (): Check => 'down'),
    ]);
    return { database, redis };
  }
}
