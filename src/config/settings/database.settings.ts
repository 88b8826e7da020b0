import { BoolSetting, IntSetting, PatternSetting } from '../setting.decorators';

/** PostgreSQL: where, how many connections, whether to migrate at start. */
export class DatabaseSettings {
  /** PostgreSQL connection URL; the database is created at start when missing. */
  @PatternSetting(/^postgres(ql)?:\/\/\S+\/[^/\s?]+(\?\S*)?$/, 'DATABASE_URL must be a postgres:// URL naming a database', { hidden: true }) DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nida';

  /** Size of the PostgreSQL connection pool of each process. */
  @IntSetting({ min: 1, max: 200 }) DATABASE_POOL_SIZE = 10;

  /** Run pending migrations at start. */
  @BoolSetting() MIGRATIONS_RUN = true;
}
