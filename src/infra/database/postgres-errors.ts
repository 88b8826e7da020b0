type PostgresError = { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };

/** PostgreSQL's SQLSTATE of `error` (the driver's error, or TypeORM's QueryFailedError around it), or undefined. */
export function postgresErrorCode(error: unknown): string | undefined {
  const e = error as PostgresError | undefined;
  return e?.code ?? e?.driverError?.code;
}

/** True when `error` is PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PostgresError | undefined;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return postgresErrorCode(error) === '23505' && (constraint === undefined || name === constraint);
}
