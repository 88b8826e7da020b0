/**
 * Names of one test run's databases and Redis keys. Each `jest` run gets its own id (set once in
 * the global setup and inherited by the workers), so two checkouts testing on one machine never
 * share a database or a key. The id holds the runner's pid, so a later run can tell whose
 * leftovers belong to a run that died.
 */
import { randomBytes } from 'node:crypto';

export const RUN_ENV = 'NIDA_TEST_RUN';

export function newRunId(pid = process.pid): string {
  return `${pid}x${randomBytes(3).toString('hex')}`;
}

/** The pid in a run id, or undefined for a name that is not one of ours. */
export function runPid(runId: string): number | undefined {
  const match = /^(\d+)x[0-9a-f]{6}$/.exec(runId);
  return match ? Number(match[1]) : undefined;
}

export function testDatabaseBase(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nida_test';
}

export function testRedisPrefixBase(): string {
  return process.env.TEST_REDIS_PREFIX ?? 'nida-test';
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Whether a process with this pid is alive on this machine. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
