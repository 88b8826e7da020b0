import { freePort, NidaProcess, spawnNida } from './processes';
import type { TestApp } from './test-app';

/**
 * Worker processes (APP_ROLE=worker) of the built app against this test's database and Redis, with
 * `settings`: for tests whose queue work must run apart from the test process (volume, kill -9).
 */
export class UpdateWorkers {
  readonly started: NidaProcess[] = [];

  constructor(
    private readonly t: TestApp,
    private readonly settings: Record<string, string>,
  ) {}

  async start(): Promise<NidaProcess> {
    const env = this.t.env;
    const worker = spawnNida({
      ...this.settings,
      APP_ROLE: 'worker',
      PORT: String(await freePort()),
      DATABASE_URL: env.DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      REDIS_PREFIX: env.REDIS_PREFIX,
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      APP_SECRET: env.APP_SECRET!,
      ADMIN_EMAIL: env.ADMIN_EMAIL!,
      ADMIN_PASSWORD: env.ADMIN_PASSWORD!,
    });
    this.started.push(worker);
    // Generous: a worker starts in seconds, but in over 30 s on a machine loaded by other test runs.
    await worker.waitFor('Nida ready (role worker)', 60000);
    return worker;
  }

  /** Stops every worker still running: SIGTERM, SIGKILL after 10 s. */
  async stopAll(): Promise<void> {
    for (const worker of this.started) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
      worker.child.kill('SIGTERM');
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10000);
      await worker.exited;
      clearTimeout(timer);
    }
  }
}
