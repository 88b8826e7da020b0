import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../../common/app-error';
import { Principal } from '../../common/principal';
import { instantOf } from '../../common/instant';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import type { TallyRemoval } from '../tally/dto/tally-removal.dto';
import { TallyService } from '../tally/tally.service';
import { CreateInvalidationDto, INVALIDATION_STATUSES } from './dto/create-invalidation.dto';
import {
  InvalidationCriteriaDto,
  InvalidationDto,
  InvalidationListResponseDto,
  InvalidationResultDto,
} from './dto/invalidation-response.dto';
import type { ListInvalidationsQueryDto } from './dto/list-invalidations-query.dto';
import { InvalidatedSignature, InvalidationMatch, InvalidationRecord, InvalidationsRepository } from './invalidations.repository';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import { SignatureErrors } from './signatures.errors';

/**
 * Bulk invalidation of a campaign's signatures by source (address hash, domain, email pattern),
 * time and status, for its organisers and admins. In one transaction, with the matching rows
 * locked: verified ones become invalidated and leave the count through negative tally events (per
 * country and per day they were counted on), their unsent letters are cancelled; pending and held
 * ones, never counted, are deleted; the invalidation is recorded.
 */
@Injectable()
export class InvalidationsService {
  constructor(
    private readonly invalidations: InvalidationsRepository,
    private readonly campaigns: CampaignsService,
    private readonly tally: TallyService,
    private readonly letters: LetterDeliveriesService,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, campaignId: string, dto: CreateInvalidationDto, ip: string | null = null): Promise<InvalidationResultDto> {
    const { match, criteria } = matchOf(dto);
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    if (dto.dryRun) {
      const counts = await this.invalidations.countMatching(campaign.id, match);
      const counted = counts.get('verified') ?? 0;
      const unconfirmed = (counts.get('pending') ?? 0) + (counts.get('held') ?? 0);
      return { dryRun: true, matched: counted + unconfirmed, counted, unconfirmed, invalidation: null };
    }
    const reason = dto.reason ?? '';
    return this.invalidations.transaction(async (m) => {
      const id = await this.invalidations.insert(m, { campaignId: campaign.id, criteria: { ...criteria }, reason, createdBy: principal.id });
      const locked = await this.invalidations.lockMatching(m, campaign.id, match);
      const verifiedIds = locked.filter((s) => s.status === 'verified').map((s) => s.id);
      const unconfirmedIds = locked.filter((s) => s.status === 'pending' || s.status === 'held').map((s) => s.id);
      const invalidated = await this.invalidations.invalidate(m, verifiedIds, id);
      const deleted = await this.invalidations.deleteUnconfirmed(m, unconfirmedIds);
      await this.tally.recordInvalidated(m, campaign.id, removalsOf(invalidated));
      await this.letters.cancelForSignatures(m, invalidated.map((s) => s.id), `Cancelled: the signature was invalidated (${id}).`);
      const record = await this.invalidations.setMatched(m, id, invalidated.length + deleted);
      // The criteria by name only: an email pattern may be a whole address.
      const details = { criteria: Object.keys(criteria).join(','), matched: record.matched, counted: invalidated.length, unconfirmed: deleted };
      await this.audit.record({ actor: principal, action: 'signatures.invalidate', campaignId: campaign.id, subjectId: id, details, ip }, m);
      return {
        dryRun: false,
        matched: record.matched,
        counted: invalidated.length,
        unconfirmed: deleted,
        invalidation: toDto(record),
      };
    });
  }

  async list(principal: Principal, campaignId: string, query: ListInvalidationsQueryDto): Promise<InvalidationListResponseDto> {
    const after = cursorOf(query.cursor);
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const rows = await this.invalidations.list(campaign.id, after, query.limit + 1);
    return keysetPage(rows, query.limit, toDto);
  }
}

/**
 * The match for SQL and the criteria to record, from a request the DTO validated: at least one
 * criterion that narrows by source or time (status alone would take the whole campaign), and a
 * range that is not empty.
 */
export function matchOf(dto: CreateInvalidationDto): { match: InvalidationMatch; criteria: InvalidationCriteriaDto } {
  if (dto.ipHash === undefined && dto.domain === undefined && dto.emailPattern === undefined && dto.from === undefined && dto.to === undefined) {
    throw SignatureErrors.invalidationCriteriaRequired();
  }
  const from = instantOf('from', dto.from);
  const to = instantOf('to', dto.to);
  if (from && to && from.getTime() >= to.getTime()) {
    throw CommonErrors.validation([{ field: 'to', problems: ['to must be later than from'] }]);
  }
  const domain = dto.domain?.toLowerCase();
  const match: InvalidationMatch = {
    ipHash: dto.ipHash,
    domain,
    emailPattern: dto.emailPattern,
    from,
    to,
    statuses: dto.status ? [dto.status] : INVALIDATION_STATUSES,
  };
  const criteria: InvalidationCriteriaDto = {};
  if (dto.ipHash !== undefined) criteria.ipHash = dto.ipHash;
  if (domain !== undefined) criteria.domain = domain;
  if (dto.emailPattern !== undefined) criteria.emailPattern = dto.emailPattern;
  if (from) criteria.from = from.toISOString();
  if (to) criteria.to = to.toISOString();
  if (dto.status) criteria.status = dto.status;
  return { match, criteria };
}

/** The invalidated signatures grouped as the tally counted them: per country and day. */
export function removalsOf(invalidated: InvalidatedSignature[]): TallyRemoval[] {
  const groups = new Map<string, TallyRemoval>();
  for (const s of invalidated) {
    const key = `${s.country} ${s.day}`;
    const group = groups.get(key) ?? { country: s.country, day: s.day, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()];
}

function toDto(r: InvalidationRecord): InvalidationDto {
  return {
    id: r.id,
    campaignId: r.campaignId,
    criteria: r.criteria as InvalidationCriteriaDto,
    reason: r.reason,
    matched: r.matched,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
}
