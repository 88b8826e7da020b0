import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { RedisSettings } from '../../config/environment';
import { redisConnectionOptions } from '../redis/redis-options';
import { QueueName } from './queue-names';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisSettings],
      useFactory: (redis: RedisSettings) => ({
        connection: { ...redisConnectionOptions(redis.REDIS_URL), maxRetriesPerRequest: null },
        prefix: `${redis.REDIS_PREFIX}:bull`,
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
