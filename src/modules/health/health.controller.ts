import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis both answer, else 503 naming the one that does not. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks = await this.health.checks();
    const ok = checks.database === 'up' && checks.redis === 'up';
    reply.status(ok ? 200 : 503).header('Cache-Control', 'no-store');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
