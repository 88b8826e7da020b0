import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_AT_SQL, KeysetCursor } from '../../common/keyset-cursor';
import type { AuditAction, AuditActorKind } from './audit-action';

/** A row to write, its organisation decided by the service or left to the campaign. */
export interface NewAuditEvent {
  actorId: string | null;
  actorKind: AuditActorKind;
  /** Where the organisation comes from: the campaign's (when it exists, else `organisationId`), or `organisationId` as given. */
  organisationFromCampaign: boolean;
  organisationId: string | null;
  action: AuditAction;
  campaignId: string | null;
  subjectId: string | null;
  details: Record<string, string | number | boolean | null>;
  ipHash: string | null;
}

/** Which events to list: one organisation's (null: all), one campaign's, one action's. */
export interface AuditFilter {
  organisationId: string | null;
  campaignId: string | null;
  action: AuditAction | null;
}

export interface AuditEventRecord {
  id: string;
  at: Date;
  actorId: string | null;
  actorKind: AuditActorKind;
  organisationId: string | null;
  action: AuditAction;
  campaignId: string | null;
  subjectId: string | null;
  details: Record<string, string | number | boolean | null>;
  ipHash: string | null;
  cursor: KeysetCursor;
}

interface AuditRow {
  id: string;
  at: Date;
  at_cursor: string;
  actor_id: string | null;
  actor_kind: AuditActorKind;
  organisation_id: string | null;
  action: AuditAction;
  campaign_id: string | null;
  subject_id: string | null;
  details: Record<string, string | number | boolean | null>;
  ip_hash: string | null;
}

/** The only code that queries audit_events (it reads a campaign's organisation from campaigns, in the same INSERT). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT, in the caller's transaction when `m` is given, so the event commits (or not) with the change. */
  async insert(e: NewAuditEvent, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(
      `INSERT INTO audit_events (actor_id, actor_kind, organisation_id, action, campaign_id, subject_id, details, ip_hash)
       VALUES ($1, $2,
               CASE WHEN $3::boolean
                    THEN coalesce((SELECT organisation_id FROM campaigns WHERE id = $6::uuid), $4::uuid)
                    ELSE $4::uuid END,
               $5, $6::uuid, $7::uuid, $8::jsonb, $9)`,
      [e.actorId, e.actorKind, e.organisationFromCampaign, e.organisationId, e.action, e.campaignId, e.subjectId, JSON.stringify(e.details), e.ipHash],
    );
  }

  /** A page of events, newest first (keyset on at, id: audit_events_organisation_idx for an organisation, audit_events_at_idx for all). */
  async list(filter: AuditFilter, after: KeysetCursor | null, limit: number): Promise<AuditEventRecord[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id, at, ${CURSOR_AT_SQL('at')} AS at_cursor, actor_id, actor_kind, organisation_id, action, campaign_id,
              subject_id, details, ip_hash
         FROM audit_events
        WHERE ($1::uuid IS NULL OR organisation_id = $1::uuid)
          AND ($2::uuid IS NULL OR campaign_id = $2::uuid)
          AND ($3::text IS NULL OR action = $3::text)
          AND ($4::timestamptz IS NULL OR (at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY at DESC, id DESC
        LIMIT $6`,
      [filter.organisationId, filter.campaignId, filter.action, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorKind: r.actor_kind,
      organisationId: r.organisation_id,
      action: r.action,
      campaignId: r.campaign_id,
      subjectId: r.subject_id,
      details: r.details,
      ipHash: r.ip_hash,
      cursor: { at: r.at_cursor, id: r.id },
    }));
  }
}
