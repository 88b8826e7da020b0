import { RUN_ENV } from './run-id';
import { dropRunData } from './run-cleanup';

/** Drops this run's databases and Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env[RUN_ENV];
  if (run) await dropRunData(run);
}
