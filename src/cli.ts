import 'reflect-metadata';
import { APP_ENTITIES } from './app.entities';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './infra/database/data-source-options';
import { ensureDatabase, revertLastMigration, runMigrations } from './infra/database/database-setup';
import { TallyRepository } from './modules/tally/tally.repository';
import { TallyService } from './modules/tally/tally.service';

const USAGE = `usage: npm run cli -- <command>

  migration:run      apply pending migrations
  migration:revert   revert the last applied migration
  tally:reconcile    compare the public counters with the verified signatures and repair any drift`;

async function main(argv: string[]): Promise<number> {
  const env = validateEnvironment(process.env);
  switch (argv[0]) {
    case 'migration:run': {
      await ensureDatabase(env.DATABASE_URL);
      const applied = await runMigrations(env);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
      return 0;
    }
    case 'migration:revert': {
      const reverted = await revertLastMigration(env);
      console.log(reverted ? 'Reverted the last migration.' : 'No migration to revert.');
      return 0;
    }
    case 'tally:reconcile': {
      const ds = new DataSource({ ...dataSourceOptions(env, APP_ENTITIES), extra: { max: 2 } });
      await ds.initialize();
      try {
        const drift = await new TallyService(new TallyRepository(ds), env).reconcile();
        console.log(
          drift.length
            ? `Repaired ${drift.length} counter(s):\n${drift.map((d) => `  ${d.campaignId}: ${d.counted} → ${d.actual}`).join('\n')}`
            : 'Counters match the verified signatures.',
        );
      } finally {
        await ds.destroy();
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof EnvironmentError ? error.message : `${error.name}: ${error.message}`);
    process.exit(1);
  },
);
