import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_ENTITIES } from './app.entities';
import { ConfigModule } from './config/config.module';
import { Environment, EnvironmentError, validateEnvironment } from './config/environment';
import { DataSource } from 'typeorm';
import { CryptoModule } from './infra/crypto/crypto.module';
import { DatabaseModule } from './infra/database/database.module';
import { dataSourceOptions } from './infra/database/data-source-options';
import { ensureDatabase, revertLastMigration, runMigrations } from './infra/database/database-setup';
import { MailTransportModule } from './infra/mail/mail-transport';
import { RedisModule } from './infra/redis/redis.module';
import { describeRetention } from './modules/retention/retention-report';
import { RetentionModule } from './modules/retention/retention.module';
import { RetentionService } from './modules/retention/retention.service';
import { TallyRepository } from './modules/tally/tally.repository';
import { TallyService } from './modules/tally/tally.service';

const USAGE = `usage: npm run cli -- <command>

  migration:run            apply pending migrations
  migration:revert         revert the last applied migration
  tally:reconcile          compare the public counters with the verified signatures and repair any drift
  retention:run [--dry-run]
                           apply the retention rules now (what the daily job does: PENDING_RETENTION_DAYS,
                           MAIL_RETENTION_DAYS, SIGNATURE_RETENTION_DAYS_AFTER_CLOSE) and print what was done;
                           with --dry-run, print what would be done and change nothing`;

/**
 * What `retention:run` needs and nothing more: the retention module on the app's own wiring
 * (configuration, database, keys, Redis for the signing module's limits, the mail transport), no
 * HTTP server and no queue workers.
 */
@Module({})
class RetentionCliModule {
  static register(env: Environment): DynamicModule {
    return {
      module: RetentionCliModule,
      imports: [
        ConfigModule.forEnvironment(env),
        DatabaseModule.forRoot(APP_ENTITIES),
        RedisModule,
        CryptoModule,
        MailTransportModule,
        RetentionModule,
      ],
    };
  }
}

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
    case 'retention:run': {
      const options = argv.slice(1);
      // Anything but --dry-run (a typo of it above all) is refused rather than taken for a real run.
      if (options.some((o) => o !== '--dry-run')) {
        console.error(USAGE);
        return 64;
      }
      const app = await NestFactory.createApplicationContext(RetentionCliModule.register(env), { logger: ['error', 'warn'] });
      try {
        const report = await app.get(RetentionService).run({ dryRun: options.includes('--dry-run') });
        console.log(describeRetention(report).join('\n'));
      } finally {
        await app.close();
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
