import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Target } from './target.entity';

/** A reply as stored, its day as YYYY-MM-DD. */
export interface ReplyRow {
  id: string;
  received_on: string;
  summary: string;
  public_text: string | null;
  created_at: Date;
}

@Injectable()
export class TargetsRepository {
  constructor(@InjectRepository(Target) private readonly repo: Repository<Target>) {}

  insert(fields: Partial<Target>, manager: EntityManager = this.repo.manager): Promise<Target> {
    return manager.save(manager.create(Target, fields));
  }

  findOne(campaignId: string, id: string): Promise<Target | null> {
    return this.repo.findOneBy({ campaignId, id });
  }

  /** Sets only `changes` on the target (one UPDATE); null when there is no such target. */
  async update(campaignId: string, id: string, changes: Partial<Target>): Promise<Target | null> {
    if (Object.keys(changes).length) {
      const result = await this.repo.update({ campaignId, id }, changes);
      if (!result.affected) return null;
    }
    return this.repo.findOneBy({ campaignId, id });
  }

  async remove(campaignId: string, id: string): Promise<boolean> {
    return ((await this.repo.delete({ campaignId, id })).affected ?? 0) > 0;
  }

  async insertReply(targetId: string, r: { receivedOn: string; summary: string; publicText: string | null }): Promise<ReplyRow> {
    const [row]: ReplyRow[] = await this.repo.manager.query(
      `INSERT INTO target_replies (target_id, received_on, summary, public_text, public_at) VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NOT NULL THEN now() END)
       RETURNING id, to_char(received_on, 'YYYY-MM-DD') AS received_on, summary, public_text, created_at`,
      [targetId, r.receivedOn, r.summary, r.publicText],
    );
    return row;
  }

  /** The latest approved reply of each target of a campaign, for the public page (answers awaiting approval count nowhere). */
  async latestReplies(campaignId: string): Promise<Map<string, { receivedOn: string; publicText: string | null }>> {
    const rows: { target_id: string; received_on: string; public_text: string | null }[] = await this.repo.manager.query(
      `SELECT DISTINCT ON (r.target_id) r.target_id, to_char(r.received_on, 'YYYY-MM-DD') AS received_on, r.public_text
         FROM target_replies r JOIN targets t ON t.id = r.target_id
        WHERE t.campaign_id = $1 AND r.status = 'approved'
        ORDER BY r.target_id, r.received_on DESC, r.created_at DESC`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.target_id, { receivedOn: r.received_on, publicText: r.public_text }]));
  }

  /** Replies per target of a campaign, with the latest one's day (YYYY-MM-DD): targets without replies are absent. */
  async replyTotals(campaignId: string): Promise<{ targetId: string; replies: number; latest: string }[]> {
    const rows: { target_id: string; n: number; latest: string }[] = await this.repo.manager.query(
      `SELECT r.target_id, count(*)::int AS n, to_char(max(r.received_on), 'YYYY-MM-DD') AS latest
         FROM target_replies r JOIN targets t ON t.id = r.target_id
        WHERE t.campaign_id = $1 AND r.status = 'approved'
        GROUP BY r.target_id`,
      [campaignId],
    );
    return rows.map((r) => ({ targetId: r.target_id, replies: r.n, latest: r.latest }));
  }

  listByCampaign(campaignId: string): Promise<Target[]> {
    return this.repo.find({ where: { campaignId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  // ── for letters: the writes letter dispatch and bounces make, in their caller's transaction ──

  /** Stops letters to the target (repeated hard bounces); false when it already was suppressed. */
  async suppress(m: EntityManager, targetId: string): Promise<boolean> {
    // An UPDATE answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE targets SET suppressed_at = now() WHERE id = $1 AND suppressed_at IS NULL RETURNING id`,
      [targetId],
    );
    return rows.length > 0;
  }

  /**
   * Says on each target with a sending window whether its time zone can be evaluated (a zone the
   * database stops knowing holds its letters), and clears what no longer holds; writes only rows
   * whose dispatch_error changes.
   */
  async recordDispatchErrors(m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE targets SET dispatch_error = CASE WHEN nida_zone_now(time_zone) IS NULL
                                                THEN 'unknown time zone: ' || time_zone END
        WHERE (dispatch_error IS NOT NULL OR time_zone IS NOT NULL)
          AND dispatch_error IS DISTINCT FROM CASE WHEN nida_zone_now(time_zone) IS NULL
                                                   THEN 'unknown time zone: ' || time_zone END`,
    );
  }

  async setDispatchError(m: EntityManager, targetId: string, error: string): Promise<void> {
    await m.query(`UPDATE targets SET dispatch_error = $2 WHERE id = $1`, [targetId, error]);
  }
}
