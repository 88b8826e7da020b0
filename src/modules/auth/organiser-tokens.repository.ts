import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OrganiserTokenPurpose } from './organiser-token.entity';

/** The only code that reads or writes organiser_tokens. */
@Injectable()
export class OrganiserTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A token valid `minutes` from now, in the caller's transaction. */
  async insert(m: EntityManager, hash: Buffer, organiserId: string, purpose: OrganiserTokenPurpose, minutes: number): Promise<void> {
    await m.query(
      `INSERT INTO organiser_tokens (token_hash, organiser_id, purpose, expires_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
      [hash, organiserId, purpose, minutes],
    );
  }

  /** Whether the organiser was sent a link of this purpose in the last `minutes`. */
  async sentSince(organiserId: string, purpose: OrganiserTokenPurpose, minutes: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM organiser_tokens WHERE organiser_id = $1 AND purpose = $2 AND created_at > now() - make_interval(mins => $3) LIMIT 1`,
      [organiserId, purpose, minutes],
    );
    return rows.length > 0;
  }

  /** The organiser of an unused, unexpired token of this purpose; null otherwise. */
  async findLive(hash: Buffer, purpose: OrganiserTokenPurpose): Promise<string | null> {
    const rows: { organiser_id: string }[] = await this.dataSource.query(
      `SELECT organiser_id FROM organiser_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [hash, purpose],
    );
    return rows[0]?.organiser_id ?? null;
  }

  /** Marks a live token used, in the caller's transaction; its organiser, or null when it was not live (only one caller wins). */
  async consume(m: EntityManager, hash: Buffer, purpose: OrganiserTokenPurpose): Promise<string | null> {
    const rows: { organiser_id: string }[] = await m.query(
      `WITH used AS (
         UPDATE organiser_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
          RETURNING organiser_id
       )
       SELECT organiser_id FROM used`,
      [hash, purpose],
    );
    return rows[0]?.organiser_id ?? null;
  }

  /** Ends the organiser's other live links of this purpose (one reset makes the others useless). */
  async expireAllOf(m: EntityManager, organiserId: string, purpose: OrganiserTokenPurpose): Promise<void> {
    await m.query(`UPDATE organiser_tokens SET used_at = now() WHERE organiser_id = $1 AND purpose = $2 AND used_at IS NULL`, [organiserId, purpose]);
  }
}
