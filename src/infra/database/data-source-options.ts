import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import type { Environment } from '../../config/environment';
import { ENTITIES } from './entities';

/** One definition of the connection, shared by the app, the CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(env: Environment): DataSourceOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: env.DATABASE_POOL_SIZE, application_name: `nida-${env.APP_ROLE}` },
  };
}
