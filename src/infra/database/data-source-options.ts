import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import type { Environment } from '../../config/environment';

/**
 * One definition of the connection, shared by the app, the CLI and the tests. Never `synchronize`.
 * The entities come from the caller (the app root's list, see src/app.entities.ts): infrastructure
 * knows no feature module. Migrations are plain SQL and need none.
 */
export function dataSourceOptions(env: Environment, entities: NonNullable<DataSourceOptions['entities']>): DataSourceOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: env.DATABASE_POOL_SIZE, application_name: `nida-${env.APP_ROLE}` },
  };
}
