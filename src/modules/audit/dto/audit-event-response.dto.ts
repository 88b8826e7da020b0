import { ApiProperty } from '@nestjs/swagger';
import { ApiEnum } from '../../../common/api-schema';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, type AuditAction, type AuditActorKind } from '../audit-action';

/** One recorded action: never a supporter's email or name. */
export class AuditEventDto {
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
  /** The organiser or admin who acted; null for the system and for a supporter acting on their own data. */
  actorId: string | null;
  @ApiEnum(AUDIT_ACTOR_KINDS)
  actorKind: AuditActorKind;
  /** The organisation the action concerns: the campaign's, else the actor's. */
  organisationId: string | null;
  @ApiEnum(AUDIT_ACTIONS)
  action: AuditAction;
  campaignId: string | null;
  /** What was acted on beyond the campaign: a block, an invalidation, an organiser's account. */
  subjectId: string | null;
  /** Counts, statuses and codes of the action (`{released: 3}`, `{from: "closed", to: "live"}`). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true },
    example: { released: 3 },
  })
  details: Record<string, string | number | boolean | null>;
  /** The keyed hash of the client's address, as signatures carry it (`ipHash` of an invalidation); never the address. */
  ipHash: string | null;
}

export class AuditEventListResponseDto {
  items: AuditEventDto[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}
