import 'reflect-metadata';
import { getPriority, setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { INestApplicationContext, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createWorkerContext, drainHttp } from './app.factory';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { ensureDatabase, runMigrations } from './infra/database/database-setup';
import { SetupService } from './modules/setup/setup.service';

/** A full garbage collection now, through a context made after --expose-gc (nothing else sees `gc`). */
function collectOnce(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Lowers this process's CPU priority to `nice` (WORKER_NICE), never raises it (a process started
 * nicer keeps its own). Returns what to log; a system that refuses leaves the priority as it was.
 */
function lowerPriority(nice: number): string {
  try {
    const current = getPriority();
    if (current >= nice) return `Worker priority: nice ${current}, as started`;
    setPriority(nice);
    return `Worker priority lowered to nice ${getPriority()} (WORKER_NICE): requests on this machine come first`;
  } catch (error) {
    return `Worker priority left as it was (${(error as Error).message})`;
  }
}

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

  // First, before any thread is started (threads take their creator's priority).
  const niced = env.APP_ROLE === 'worker' && env.WORKER_NICE > 0 ? lowerPriority(env.WORKER_NICE) : null;

  // V8 reads this limit afresh at every full collection, so setting it now, at start, is enough.
  if (env.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${env.HEAP_GROWTH_PERCENT}`);

  await ensureDatabase(env.DATABASE_URL);
  if (env.MIGRATIONS_RUN) await runMigrations(env);

  // The first admin and the demo exist before the port opens: a healthy process is a usable one.
  let app: INestApplicationContext;
  let http: NestFastifyApplication | undefined;
  if (env.APP_ROLE === 'worker') {
    app = await createWorkerContext(env);
    await app.init();
    await app.get(SetupService).run();
  } else {
    http = await createHttpApp(env);
    app = http;
    await http.init();
    await app.get(SetupService).run();
    await http.listen(env.PORT, env.HOST);
  }

  // One full collection once started (the modules are loaded, nothing runs yet): V8 then sets its next
  // limit from this live heap and HEAP_GROWTH_PERCENT, rather than from its generous first guess, which
  // let a worker sending an update reach 180 MB of heap (300 MB RSS) before its first full collection.
  if (env.HEAP_GROWTH_PERCENT > 0) collectOnce();

  // On SIGTERM/SIGINT: stop taking connections and drain the open ones (drainHttp: requests on them
  // are answered, with `Connection: close`, for up to half of SHUTDOWN_TIMEOUT_MS, so that a load
  // balancer loses no request), then Nest closes Fastify and the BullMQ workers, which wait for
  // their running jobs, and the pools; exit 0. A shutdown longer than SHUTDOWN_TIMEOUT_MS exits 1.
  const logger = new Logger('Nida');
  if (niced) logger.log(niced);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref();
      // The port closes first (drainHttp closes it before it returns), then the line is written: who
      // reads "shutting down" finds the port closed, even when this process is descheduled between the two.
      const drained = http ? drainHttp(http, env.SHUTDOWN_TIMEOUT_MS / 2) : Promise.resolve({ drained: true, open: 0 });
      logger.log(`${signal}: shutting down`);
      void drained
        .then(({ drained, open }) => {
          if (!drained) logger.warn({ open }, 'Connections still open after half of SHUTDOWN_TIMEOUT_MS: closing them');
          return app.close();
        })
        .then(
        () => {
          logger.log('Nida stopped');
          process.exit(0);
        },
        (error: Error) => {
          logger.error({ err: { type: error.name } }, 'Shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  const where = env.APP_ROLE === 'worker' ? '' : `, listening on ${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  logger.log(`Nida ready (role ${env.APP_ROLE})${where}`);
}

main().catch((error: Error) => {
  console.error(`Nida failed to start: ${error.name}: ${error.message}`);
  process.exit(1);
});
