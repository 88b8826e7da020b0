/**
 * The rows of a raw query. TypeORM's PostgreSQL driver answers `[rows, rowCount]` for UPDATE and
 * DELETE (with RETURNING too) and plain `rows` for everything else; this gives rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
