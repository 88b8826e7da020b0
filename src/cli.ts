import 'reflect-metadata';
import { APP_ENTITIES } from './app.entities';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './infra/database/data-source-options';
import { ensureDatabase, revertLastMigration, runMigrations } from './infra/database/database-setup';
import { TallyRepository } from './modules/tally/tally.repository';
import { TallyService } from './modules/tally/tally.service';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { CryptoModule } from './infra/crypto/crypto.module';
import { DatabaseModule } from './infra/database/database.module';
import { MetricsCountersModule } from './infra/metrics/metrics.module';
import { MailTransportModule } from './infra/mail/mail-transport';
import { RedisModule } from './infra/redis/redis.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuditService } from './modules/audit/audit.service';
import { SignatureKeysModule } from './modules/signatures/signature-keys.module';
import { SignatureKeysService } from './modules/signatures/signature-keys.service';
import { describeRetention } from './modules/retention/retention-report';
import { RetentionModule } from './modules/retention/retention.module';
import { RetentionService } from './modules/retention/retention.service';

const USAGE = `usage: npm run cli -- <command>

  migration:run      apply pending migrations
  migration:revert   revert the last applied migration
  tally:reconcile    compare the public counters with the verified signatures and repair any drift
  keys:rotate [--batch-size N]
                     re-encrypt supporters' data under the first key of DATA_KEYS (in batches of
                     N rows, 500 by default; resumable, safe while Nida runs)
  retention:run [--dry-run]
                     apply the retention rules now, as the daily job does (PENDING_RETENTION_DAYS,
                     MAIL_RETENTION_DAYS, SIGNATURE_RETENTION_DAYS_AFTER_CLOSE), and print what was
                     done; with --dry-run, print what would be done and change nothing`;

/** The whole number after \`name\` in the arguments (\`--batch-size 100\`), if given; throws on a bad one. */
function optionValue(argv: string[], name: string): number | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 100000) throw new Error(`${name} takes a whole number from 1 to 100000`);
  return value;
}

/**
 * A Nest context of the configuration, the database, the keyring and `modules` only: no HTTP, no
 * queue, no Redis, so a command runs beside a running Nida without touching its work.
 */
async function cliContext(env: Environment, ...modules: Type[]): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    { module: class CliModule {}, imports: [ConfigModule.forEnvironment(env), DatabaseModule.forRoot(APP_ENTITIES), CryptoModule, MetricsCountersModule, ...modules] },
    { logger: ['error'] },
  );
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
    case 'keys:rotate': {
      const app = await cliContext(env, SignatureKeysModule, AuditModule);
      try {
        const batchSize = optionValue(argv, '--batch-size') ?? 500;
        const report = await app.get(SignatureKeysService).rotate({ batchSize, onBatch: (n) => console.log(`  ${n} re-encrypted…`) });
        await app.get(AuditService).record({
          actor: 'system',
          action: 'keys.rotate',
          details: { keyId: report.keyId, resealed: report.resealed, left: Object.values(report.left).reduce((a, b) => a + b, 0) },
        });
        const left = Object.entries(report.left);
        console.log(`Re-encrypted ${report.resealed} signature(s) under key "${report.keyId}".`);
        console.log(
          left.length
            ? `Still under other keys (written meanwhile by a process that does not list "${report.keyId}" first?): ${left.map(([k, n]) => `${k}: ${n}`).join(', ')}. Run keys:rotate again.`
            : `Nothing is sealed under any other key: keys other than "${report.keyId}" may be removed from DATA_KEYS.`,
        );
      } finally {
        await app.close();
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
      // The signing module it goes through wants Redis (its limits) and the mail transport: both
      // are only connected, never used, by a retention run.
      const app = await cliContext(env, RedisModule, MailTransportModule, RetentionModule);
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
