import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { RedisSettings } from '../../config/environment';
import { bullConnection, closeBullConnection } from '../redis/redis-connection';
import { queuePrefix } from './queue-keys';
import { QueueName } from './queue-names';

/** The connection of the registered queues and their @Processor workers (see bullConnection). */
export const BULL_CONNECTION = Symbol('BULL_CONNECTION');

/** Holds BULL_CONNECTION and, on a cluster, quits its client once the app shuts down. */
@Module({
  providers: [
    {
      provide: BULL_CONNECTION,
      inject: [RedisSettings],
      useFactory: (redis: RedisSettings): ConnectionOptions => bullConnection(redis, { maxRetriesPerRequest: null, connectionName: 'nida-queues' }),
    },
  ],
  exports: [BULL_CONNECTION],
})
class BullConnectionModule implements OnApplicationShutdown {
  constructor(@Inject(BULL_CONNECTION) private readonly connection: ConnectionOptions) {}

  async onApplicationShutdown(): Promise<void> {
    await closeBullConnection(this.connection);
  }
}

/** Each queue under its own prefix, whose hash tag keeps its keys in one cluster slot (queuePrefix). */
const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueueAsync({
    name,
    inject: [RedisSettings],
    useFactory: (redis: RedisSettings) => ({ prefix: queuePrefix(redis.REDIS_PREFIX, name) }),
  }),
);

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [BullConnectionModule],
      inject: [BULL_CONNECTION],
      useFactory: (connection: ConnectionOptions) => ({
        connection,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 5000 },
        },
      }),
    }),
    ...queues,
  ],
  exports: queues,
})
export class QueueModule {}
