import { CommonErrors } from './app-error';

/**
 * The position after the last row of a page listed newest first by (a timestamptz, id): the time as
 * PostgreSQL wrote it (UTC, microseconds: a JS Date would drop them and repeat or skip a row at a
 * page's edge) and the id. Opaque to clients (base64url); anything that does not decode to exactly
 * this shape is refused before it reaches SQL.
 */
export interface KeysetCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  at: string;
  id: string;
}

/** The SQL that writes `at` for a timestamptz column. */
export const CURSOR_AT_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const AT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when `value` is not one this API gave out. */
export function decodeCursor(value: string): KeysetCursor | null {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(value)) return null;
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length || !at || !id || !UUID.test(id)) return null;
  const ms = AT.exec(at);
  // A real instant: 2026-02-30 would reach PostgreSQL as an error.
  if (!ms || Number.isNaN(Date.parse(`${ms[1]}Z`)) || new Date(`${ms[1]}Z`).toISOString() !== `${ms[1]}Z`) return null;
  return { at, id };
}

/** The cursor a previous page gave (undefined: the first page), or 400 VALIDATION_FAILED naming `cursor`. */
export function cursorOf(value: string | undefined): KeysetCursor | null {
  if (value === undefined) return null;
  const cursor = decodeCursor(value);
  if (!cursor) throw CommonErrors.validation([{ field: 'cursor', problems: ['cursor must be the nextCursor of a previous page'] }]);
  return cursor;
}

/**
 * A page from the `limit + 1` rows a list query read (one more than asked tells whether another
 * page follows): the first `limit` as items, and the cursor after the last of them, or null on the
 * last page.
 */
export function keysetPage<R extends { cursor: KeysetCursor }, T>(rows: R[], limit: number, toItem: (row: R) => T): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { items: page.map(toItem), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].cursor) : null };
}
