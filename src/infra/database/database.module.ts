import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../../config/environment';
import { dataSourceOptions } from './data-source-options';
import { TimeZones } from './time-zones';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ ...dataSourceOptions(env), retryAttempts: 3, retryDelay: 1000 }),
    }),
  ],
  providers: [TimeZones],
  exports: [TimeZones],
})
export class DatabaseModule {}
