import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { Environment } from '../../config/environment';
import { dataSourceOptions } from './data-source-options';
import { TimeZones } from './time-zones';

/** The app's connection, with the entities the app root hands it (infra knows no feature module). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [Environment],
          useFactory: (env: Environment) => ({ ...dataSourceOptions(env, entities), retryAttempts: 3, retryDelay: 1000 }),
        }),
      ],
      providers: [TimeZones],
      exports: [TimeZones],
    };
  }
}
