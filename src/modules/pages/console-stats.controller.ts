import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleKit, consolePath } from './console-kit';
import { ConsoleStatsService } from './console-stats.service';

/**
 * The console's Statistics page of a campaign: charts drawn on the server (no script needed), the
 * numbers also in tables, in Arabic (RTL) and English. Another organisation's campaign, a missing
 * one and a malformed id all answer the same 404.
 */
@ApiExcludeController()
@Controller()
export class ConsoleStatsController {
  constructor(
    private readonly kit: ConsoleKit,
    private readonly stats: ConsoleStatsService,
  ) {}

  @Get(['ar/console/campaigns/:id/stats', 'en/console/campaigns/:id/stats'])
  async statsPage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const { locale, session } = ctx;
    const view = await this.stats.stats(session.principal, id, locale);
    if (!view) return this.kit.notFound(reply, locale);
    const html = this.kit.render(locale, 'console-stats', view.s.heading.replace('{title}', view.title), (l) => consolePath.campaignPage(l, id, 'stats'), {
      stats: view,
      s: view.s,
      tabs: this.kit.tabs(locale, id, 'stats', session.principal),
      backUrl: consolePath.home(locale),
    });
    return this.kit.send(reply, 200, html);
  }
}
