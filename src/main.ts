import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { createHttpApp, createWorkerContext } from './app.factory';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { ensureDatabase, runMigrations } from './infra/database/database-setup';
import { SetupService } from './modules/setup/setup.service';

async function main(): Promise<void> {
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  await ensureDatabase(env.DATABASE_URL);
  if (env.MIGRATIONS_RUN) await runMigrations(env);

  let app: INestApplicationContext;
  if (env.APP_ROLE === 'worker') {
    app = await createWorkerContext(env);
    await app.init();
  } else {
    const http = await createHttpApp(env);
    app = http;
    await http.listen(env.PORT, env.HOST);
  }
  await app.get(SetupService).run();

  // Nest closes the HTTP server, the workers (letting in-flight jobs finish) and the pools on
  // SIGTERM/SIGINT; this only makes sure a stuck shutdown cannot hang forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref());
  }
}

main().catch((error: Error) => {
  console.error(`Nida failed to start: ${error.name}: ${error.message}`);
  process.exit(1);
});
