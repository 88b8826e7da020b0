import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { redisConnectionOptions } from '../redis/redis-options';
import { QueueName } from './queue-names';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        connection: { ...redisConnectionOptions(env.REDIS_URL), maxRetriesPerRequest: null },
        prefix: `${env.REDIS_PREFIX}:bull`,
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
