import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { addressHash } from '../../common/keyed-hash';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import type { Principal } from '../../common/principal';
import { AppSettings, appSecret } from '../../config/environment';
import type { AuditAction, AuditActorKind } from './audit-action';
import { AuditEventRecord, AuditRepository, NewAuditEvent } from './audit.repository';
import { AuditEventDto, AuditEventListResponseDto } from './dto/audit-event-response.dto';
import type { ListAuditQueryDto } from './dto/list-audit-query.dto';

export type { AuditAction, AuditActorKind } from './audit-action';

/** A value of an event's details: a count, a status, a code; never a supporter's email or name. */
export type AuditDetail = string | number | boolean | null;

/** What happened, as a caller tells it. */
export interface AuditEntry {
  /** The organiser or admin (the request's principal), the platform itself, or a supporter acting on their own data. */
  actor: Principal | 'system' | 'supporter';
  action: AuditAction;
  campaignId?: string | null;
  /** Omitted: the campaign's organisation (when a campaign is named and exists), else the actor's. null: none. */
  organisationId?: string | null;
  /** What was acted on beyond the campaign: a block, an invalidation, an organiser's account. */
  subjectId?: string | null;
  /** Counts, statuses, codes. A string that holds `@` (it could be an email) is stored as null. */
  details?: Record<string, AuditDetail>;
  /** The client's address as the request gave it (`request.ip`); only its keyed hash is stored. */
  ip?: string | null;
}

/** The longest string kept in details: codes and statuses, not text. */
const DETAIL_MAX = 200;

/**
 * The audit log: who did what to which campaign, when, from which address (its keyed hash), for
 * every organiser action that reads or changes supporter data or a campaign's state. Callers
 * record in their own transaction (`m`), so the event commits, or not, with what it records.
 * Admins read all of it; organisers their organisation's.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly events: AuditRepository,
    private readonly app: AppSettings,
  ) {}

  /** Writes one event, in the caller's transaction when `m` is given. */
  async record(entry: AuditEntry, m?: EntityManager): Promise<void> {
    await this.events.insert(this.eventOf(entry), m);
  }

  /** A page of the log, newest first: everything for an admin, the organisation's events for an organiser. */
  async list(principal: Principal, query: ListAuditQueryDto): Promise<AuditEventListResponseDto> {
    const after = cursorOf(query.cursor);
    const rows = await this.events.list(
      {
        organisationId: principal.role === 'admin' ? null : principal.organisationId,
        campaignId: query.campaignId?.toLowerCase() ?? null,
        action: query.action ?? null,
      },
      after,
      query.limit + 1,
    );
    return keysetPage(rows, query.limit, toDto);
  }

  private eventOf(entry: AuditEntry): NewAuditEvent {
    const person = typeof entry.actor === 'object' ? entry.actor : null;
    const actorKind: AuditActorKind = person ? (person.role === 'admin' ? 'admin' : 'organiser') : (entry.actor as 'system' | 'supporter');
    const campaignId = entry.campaignId ?? null;
    return {
      actorId: person?.id ?? null,
      actorKind,
      organisationFromCampaign: entry.organisationId === undefined && campaignId !== null,
      organisationId: entry.organisationId !== undefined ? entry.organisationId : (person?.organisationId ?? null),
      action: entry.action,
      campaignId,
      subjectId: entry.subjectId ?? null,
      details: this.safeDetails(entry.action, entry.details ?? {}),
      ipHash: entry.ip ? addressHash(appSecret(this.app), entry.ip) : null,
    };
  }

  /** Details as stored: a string that could be an email becomes null, a long one is cut. */
  private safeDetails(action: AuditAction, details: Record<string, AuditDetail>): Record<string, AuditDetail> {
    const out: Record<string, AuditDetail> = {};
    for (const [key, value] of Object.entries(details)) {
      if (typeof value === 'string' && value.includes('@')) {
        this.logger.warn({ action, key }, 'audit detail dropped: it could hold an email');
        out[key] = null;
      } else {
        out[key] = typeof value === 'string' ? value.slice(0, DETAIL_MAX) : value;
      }
    }
    return out;
  }
}

function toDto(r: AuditEventRecord): AuditEventDto {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorKind: r.actorKind,
    organisationId: r.organisationId,
    action: r.action,
    campaignId: r.campaignId,
    subjectId: r.subjectId,
    details: r.details,
    ipHash: r.ipHash,
  };
}
