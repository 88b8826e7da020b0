import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A row's sealed columns, as stored. */
export interface SealedSignature {
  id: string;
  dataKey: string;
  email: string | null;
  name: string | null;
  city: string | null;
  comment: string | null;
}

interface SealedRow {
  id: string;
  data_key: string;
  email: string | null;
  name: string | null;
  city: string | null;
  comment: string | null;
}

/** The SQL of re-sealing signatures under another key (table signatures, its sealed columns only). */
@Injectable()
export class SignatureKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` rows after `afterId` (id order) sealed under another key than `keyId`; anonymised rows have none. */
  async sealedUnder(keyIdNot: string, afterId: string, limit: number): Promise<SealedSignature[]> {
    const rows: SealedRow[] = await this.dataSource.query(
      `SELECT id, data_key, email, name, city, comment FROM signatures
        WHERE id > $1 AND data_key IS NOT NULL AND data_key <> $2
        ORDER BY id LIMIT $3`,
      [afterId, keyIdNot, limit],
    );
    return rows.map((r) => ({ id: r.id, dataKey: r.data_key, email: r.email, name: r.name, city: r.city, comment: r.comment }));
  }

  /**
   * Writes the re-sealed rows in one statement, each only if it is still sealed under the key it
   * was read under (an erasure or retention may have anonymised it since: then it stays so).
   * Returns how many were written.
   */
  async reseal(rows: SealedSignature[], keyId: string): Promise<number> {
    if (!rows.length) return 0;
    const [, written]: [unknown[], number] = await this.dataSource.query(
      `UPDATE signatures s SET email = v.email, name = v.name, city = v.city, comment = v.comment, data_key = $1
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(id, old_key, email, name, city, comment)
        WHERE s.id = v.id AND s.data_key = v.old_key`,
      [
        keyId,
        rows.map((r) => r.id),
        rows.map((r) => r.dataKey),
        rows.map((r) => r.email),
        rows.map((r) => r.name),
        rows.map((r) => r.city),
        rows.map((r) => r.comment),
      ],
    );
    return written;
  }

  /** How many rows are sealed under each key (anonymised ones have none). */
  async countByKey(): Promise<Map<string, number>> {
    const rows: { data_key: string; n: number }[] = await this.dataSource.query(
      `SELECT data_key, count(*)::int AS n FROM signatures WHERE data_key IS NOT NULL GROUP BY data_key`,
    );
    return new Map(rows.map((r) => [r.data_key, r.n]));
  }
}
