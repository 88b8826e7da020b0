import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { KeysetPageQueryDto } from '../../../common/keyset-page-query.dto';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-action';

/** A page of the audit log, newest first, optionally of one campaign or one action. */
export class ListAuditQueryDto extends KeysetPageQueryDto {
  /** Only the events of this campaign. */
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  /** Only the events of this action. */
  @IsOptional()
  @ApiPropertyOptional({ enum: [...AUDIT_ACTIONS] })
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;
}
