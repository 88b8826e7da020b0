import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { AuditService } from './audit.service';
import { AuditEventListResponseDto } from './dto/audit-event-response.dto';
import { ListAuditQueryDto } from './dto/list-audit-query.dto';

/** The audit log: admins read all of it, organisers their organisation's. */
@ApiTags('audit')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Recorded actions, newest first, a page at a time (`?campaignId`, `?action`, `?limit`, `?cursor`). */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditQueryDto): Promise<AuditEventListResponseDto> {
    return this.audit.list(principal, query);
  }
}
