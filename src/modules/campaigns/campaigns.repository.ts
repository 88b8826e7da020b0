import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Campaign, CampaignKind, CampaignStatus } from './campaign.entity';
import { anonymisationDueSql } from './supporter-data-retention';
import { PUBLIC_STATUS_SQL } from './campaign-status';

export interface CampaignWithCount {
  campaign: Campaign;
  signatureCount: number;
  organisationName: string;
}

/** The only code that queries campaigns and their counters. */
@Injectable()
export class CampaignsRepository {
  constructor(
    @InjectRepository(Campaign) private readonly repo: Repository<Campaign>,
    private readonly dataSource: DataSource,
  ) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  findById(id: string): Promise<Campaign | null> {
    return this.repo.findOneBy({ id });
  }

  findBySlug(slug: string): Promise<Campaign | null> {
    return this.repo.findOneBy({ slug });
  }

  async anyExists(manager: EntityManager): Promise<boolean> {
    return (await manager.count(Campaign, { take: 1 })) > 0;
  }

  async slugExists(slug: string): Promise<boolean> {
    return (await this.repo.count({ where: { slug }, take: 1 })) > 0;
  }

  async insert(fields: Partial<Campaign>, manager: EntityManager): Promise<Campaign> {
    const campaign = await manager.save(manager.create(Campaign, fields));
    return manager.findOneByOrFail(Campaign, { id: campaign.id });
  }

  /**
   * Sets only `changes`, and only while the campaign still has the status the caller read: a PATCH
   * never reverts a status, and of two organisers pressing "close" and "won" at once only one
   * moves it. Returns the row, or null when its status moved meanwhile (or it is gone).
   */
  async setCaseStatus(m: EntityManager, id: string, caseStatus: Campaign['caseStatus']): Promise<boolean> {
    const result = await m.createQueryBuilder().update(Campaign).set({ caseStatus, updatedAt: () => 'now()' }).where('id = :id', { id }).execute();
    return !!result.affected;
  }

  async updateFields(id: string, status: CampaignStatus, changes: Partial<Campaign>, m: EntityManager = this.repo.manager): Promise<Campaign | null> {
    const result = await m
      .createQueryBuilder()
      .update(Campaign)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('id = :id AND status = :status', { id, status })
      .execute();
    return result.affected ? m.findOneByOrFail(Campaign, { id }) : null;
  }


  /**
   * Closed or won campaigns that ended more than `afterDays` ago and whose supporters the
   * retention job has not anonymised yet, the longest ended first.
   */
  async dueForAnonymisation(afterDays: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE ${anonymisationDueSql('$1')} AND supporters_anonymised_at IS NULL
        ORDER BY greatest(closed_at, won_at), id`,
      [afterDays],
    );
    return rows.map((r) => r.id);
  }

  /**
   * In the caller's transaction: whether the campaign is still due (closed or won, ended more than
   * `afterDays` ago), holding it so (FOR SHARE) until that transaction ends: a reopening waits for
   * it, and no supporter of a campaign reopened meanwhile is anonymised.
   */
  async lockIfDueForAnonymisation(m: EntityManager, id: string, afterDays: number): Promise<boolean> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM campaigns WHERE id = $1 AND ${anonymisationDueSql('$2')} FOR SHARE`, [
      id,
      afterDays,
    ]);
    return rows.length > 0;
  }

  /** Records that the campaign's supporters are anonymised, if it is still due. */
  async markSupportersAnonymised(id: string, afterDays: number): Promise<boolean> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, marked]: [unknown[], number] = await this.dataSource.query(
      `UPDATE campaigns SET supporters_anonymised_at = now()
        WHERE id = $1 AND ${anonymisationDueSql('$2')} AND supporters_anonymised_at IS NULL
       RETURNING id`,
      [id, afterDays],
    );
    return marked > 0;
  }

  /** The campaign's count, from the tally's counter (read here, written by the tally). */
  async signatureCount(id: string): Promise<number> {
    const rows: { verified: string }[] = await this.dataSource.query(
      `SELECT verified FROM campaign_counters WHERE campaign_id = $1`,
      [id],
    );
    return rows.length ? Number(rows[0].verified) : 0;
  }

  /** The public count of a published campaign, in one indexed read: never a COUNT over signatures. */
  async publicCount(slug: string): Promise<{ verified: number; goal: number | null; updatedAt: Date } | null> {
    const rows: { verified: string | null; goal: number | null; updated_at: Date | null; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT k.verified, c.goal, k.updated_at, c.created_at
           FROM campaigns c LEFT JOIN campaign_counters k ON k.campaign_id = c.id
          WHERE c.slug = $1 AND ${PUBLIC_STATUS_SQL('c.status')}`,
        [slug],
      );
    const r = rows[0];
    if (!r) return null;
    return { verified: Number(r.verified ?? 0), goal: r.goal, updatedAt: r.updated_at ?? r.created_at };
  }

  private withCounts() {
    return this.repo
      .createQueryBuilder('c')
      // Other modules' tables, read by name in this join (organisations: the name shown; the tally's
      // counters: the count), never written here.
      .innerJoin('organisations', 'o', 'o.id = c.organisation_id')
      .leftJoin('campaign_counters', 'k', 'k.campaign_id = c.id')
      .addSelect('COALESCE(k.verified, 0)', 'signature_count')
      .addSelect('o.name', 'organisation_name');
  }

  private static rows(result: { entities: Campaign[]; raw: { signature_count: string; organisation_name: string }[] }) {
    return result.entities.map((campaign, i) => ({
      campaign,
      signatureCount: Number(result.raw[i].signature_count),
      organisationName: result.raw[i].organisation_name,
    }));
  }

  /** A campaign the public may see (neither a draft nor in review), by slug. */
  async findPublicBySlug(slug: string): Promise<CampaignWithCount | null> {
    const result = await this.withCounts()
      .where('c.slug = :slug', { slug })
      .andWhere(PUBLIC_STATUS_SQL('c.status'))
      .getRawAndEntities();
    return CampaignsRepository.rows(result)[0] ?? null;
  }

  /** Any campaign (drafts included) by id, with its count and its organisation's name: an organiser's preview. */
  async findWithCountById(id: string): Promise<CampaignWithCount | null> {
    const result = await this.withCounts().where('c.id = :id', { id }).getRawAndEntities();
    return CampaignsRepository.rows(result)[0] ?? null;
  }

  /** Live campaigns whose deadline has not passed, newest first. */
  async listLive(page: number, pageSize: number, kind?: CampaignKind) {
    const query = this.withCounts()
      .where("c.status = 'live'")
      .andWhere('(c.ends_at IS NULL OR c.ends_at > now())');
    if (kind) query.andWhere('c.kind = :kind', { kind });
    const total = await query.getCount();
    const result = await query
      .orderBy('c.published_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getRawAndEntities();
    return { rows: CampaignsRepository.rows(result), total };
  }

  /** Campaigns waiting for an admin's review, the longest waiting first (campaigns_in_review_idx). */
  async listInReview(limit: number): Promise<CampaignWithCount[]> {
    const result = await this.withCounts()
      .where("c.status = 'in_review'")
      .orderBy('c.review_requested_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit)
      .getRawAndEntities();
    return CampaignsRepository.rows(result);
  }

  /** Every campaign of one organisation, drafts included, newest first. */
  async listByOrganisation(organisationId: string, page: number, pageSize: number) {
    const query = this.withCounts().where('c.organisation_id = :organisationId', { organisationId });
    const total = await query.getCount();
    const result = await query
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getRawAndEntities();
    return { rows: CampaignsRepository.rows(result), total };
  }

  /** In the caller's transaction: closes every live campaign whose deadline has passed; returns their ids. */
  async closeExpired(m: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `WITH closed AS (
         UPDATE campaigns SET status = 'closed', closed_at = ends_at, updated_at = now()
          WHERE status = 'live' AND ends_at <= now()
          RETURNING id)
       SELECT id FROM closed`,
    );
    return rows.map((r) => r.id);
  }
}
