import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/** Every name given out, with its text: one name never stands for two statements on a connection. */
const named = new Map<string, string>();

/**
 * A statement of a hot path (signing, sending an email), run as a named prepared statement on the
 * pool TypeORM opened: each connection parses and plans it once, and PostgreSQL keeps its plan
 * (a generic plan once it is no dearer than the custom ones, PostgreSQL's own rule), where
 * `DataSource.query` sends an unnamed statement planned anew on every call. The benchmark's
 * pg_stat_statements showed the planning of the three statements a signature and its email run
 * (sign, claim, mark sent) costing more PostgreSQL CPU than running them (~950 µs against ~600 µs
 * a signature). Only for statements outside a transaction, with fixed text; rows come back as pg
 * parses them, as through `DataSource.query`.
 *
 * A pooler in front of PostgreSQL must keep prepared statements per server connection (PgBouncer
 * 1.21 or later with `max_prepared_statements`, or session pooling).
 */
export class PreparedStatement<R extends QueryResultRow = QueryResultRow> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    const known = named.get(name);
    if (known !== undefined && known !== text) throw new Error(`Prepared statement name ${name} is taken by another statement`);
    named.set(name, text);
  }

  /** Runs it on one of the pool's connections; the rows it returned (RETURNING's for a write). */
  async rows(dataSource: DataSource, values: unknown[]): Promise<R[]> {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const result = await pool.query<R>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}
