/** A configuration that cannot run: one line per bad variable, each naming it. main.ts exits 78 on it. */
export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentError';
  }
}
