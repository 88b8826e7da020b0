import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUUID } from 'class-validator';
import { AppError } from '../../common/app-error';
import { titleIn } from '../../common/locale';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PartnersService } from '../campaigns/partners.service';
import { field, formBody } from './console-cookies';
import { ConsoleContext, ConsoleKit, consolePath, errorList, type FormErrors } from './console-kit';
import { CONSOLE_PARTNERS_STRINGS } from './console-partners-strings';

const routes = (suffix: string) => [`ar/console/campaigns/:id/${suffix}`, `en/console/campaigns/:id/${suffix}`];
const NOTICES = ['invited', 'changed', 'removed'] as const;

/**
 * The console's Partners tab (the lead's organisers: invite an organisation as editor or viewer,
 * change a role, remove) and the answers of a partner's organisers to an invitation (from their
 * dashboard). Everything through PartnersService, as the API; another organisation gets the one 404.
 */
@ApiExcludeController()
@Controller()
export class ConsolePartnersController {
  constructor(
    private readonly kit: ConsoleKit,
    private readonly campaigns: CampaignsService,
    private readonly partners: PartnersService,
  ) {}

  @Get(routes('partners'))
  async page(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.page(request, reply);
    if (!ctx) return;
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const notice = NOTICES.find((n) => n === done);
    const html = await this.view(ctx, id, { organisationId: '', role: 'editor' }, {}, notice ? CONSOLE_PARTNERS_STRINGS[ctx.locale][notice] : '');
    if (!html) return this.kit.notFound(reply, ctx.locale);
    return this.kit.send(reply, 200, html);
  }

  @Post(routes('partners'))
  async invite(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const s = CONSOLE_PARTNERS_STRINGS[ctx.locale];
    const body = formBody(request);
    const values = { organisationId: field(body, 'organisationId').trim(), role: field(body, 'role') === 'viewer' ? 'viewer' : 'editor' };
    const again = async (status: number, errors: FormErrors) => {
      const html = await this.view(ctx, id, values, errors, '');
      return html ? this.kit.send(reply, status, html) : this.kit.notFound(reply, ctx.locale);
    };
    if (!isUUID(values.organisationId)) return again(400, { organisationId: s.errorOrganisation });
    try {
      await this.partners.invite(ctx.session.principal, id, { organisationId: values.organisationId, role: values.role as 'editor' | 'viewer' });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'PARTNER_EXISTS') return again(409, { organisationId: s.errorExists });
      if (error.code === 'PARTNER_ORGANISATION_NOT_FOUND' || error.code === 'PARTNER_IS_LEAD') return again(400, { organisationId: s.errorOrganisation });
      if (error.status === 404 || error.status === 403) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, id, 'partners')}?done=invited`);
  }

  @Post(routes('partners/:organisationId/role'))
  async role(@Param('id') id: string, @Param('organisationId') organisationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    const role = field(formBody(request), 'role') === 'viewer' ? 'viewer' : 'editor';
    if (!isUUID(id) || !isUUID(organisationId)) return this.kit.notFound(reply, ctx.locale);
    try {
      await this.partners.setRole(ctx.session.principal, id, organisationId.toLowerCase(), role);
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, id, 'partners')}?done=changed`);
  }

  @Post(routes('partners/:organisationId/remove'))
  async remove(@Param('id') id: string, @Param('organisationId') organisationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    if (!isUUID(id) || !isUUID(organisationId)) return this.kit.notFound(reply, ctx.locale);
    try {
      await this.partners.remove(ctx.session.principal, id, organisationId.toLowerCase());
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${consolePath.campaignPage(ctx.locale, id, 'partners')}?done=removed`);
  }

  /** A partner's organisers accept or decline an invitation (or leave) from their dashboard. */
  @Post(['ar/console/partnerships/:id/:answer', 'en/console/partnerships/:id/:answer'])
  async answer(@Param('id') id: string, @Param('answer') answer: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.kit.post(request, reply);
    if (!ctx) return;
    if (!isUUID(id) || (answer !== 'accept' && answer !== 'decline')) return this.kit.notFound(reply, ctx.locale);
    try {
      if (answer === 'accept') await this.partners.accept(ctx.session.principal, id.toLowerCase());
      else await this.partners.decline(ctx.session.principal, id.toLowerCase());
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return this.kit.notFound(reply, ctx.locale);
      throw error;
    }
    return this.kit.redirect(reply, `${consolePath.home(ctx.locale)}#partnerships`);
  }

  /** The page, or null when the campaign is not one the signed-in organiser leads (one 404). */
  private async view(ctx: ConsoleContext, id: string, values: { organisationId: string; role: string }, errors: FormErrors, notice: string): Promise<string | null> {
    if (!isUUID(id)) return null;
    const s = CONSOLE_PARTNERS_STRINGS[ctx.locale];
    let found;
    try {
      const campaign = await this.campaigns.owned(ctx.session.principal, id, 'lead');
      found = { campaign, list: await this.partners.list(ctx.session.principal, id), candidates: await this.partners.candidates(ctx.session.principal, id) };
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
    const { campaign, list, candidates } = found;
    const path = (l: typeof ctx.locale) => consolePath.campaignPage(l, campaign.id, 'partners');
    return this.kit.render(ctx.locale, 'console-partners', `${s.heading} · ${titleIn(campaign, ctx.locale)}`, path, {
      s,
      csrf: ctx.session.csrfToken,
      tabs: this.kit.tabs(ctx.locale, campaign.id, 'partners', ctx.session.principal),
      campaignTitle: titleIn(campaign, ctx.locale),
      notice,
      lead: list.lead,
      partners: list.items.map((p) => ({
        ...p,
        declined: p.status === 'declined',
        roleLabel: s.role[p.role],
        statusLabel: s.status[p.status],
        roleAction: `${path(ctx.locale)}/${p.organisationId}/role`,
        removeAction: `${path(ctx.locale)}/${p.organisationId}/remove`,
        otherRole: p.role === 'editor' ? 'viewer' : 'editor',
        otherRoleLabel: s.role[p.role === 'editor' ? 'viewer' : 'editor'],
      })),
      form: {
        action: path(ctx.locale),
        values,
        errors,
        errorList: errorList(errors, { organisationId: 'f-organisation' }),
        organisations: candidates.map((o) => ({ ...o, selected: o.id === values.organisationId })),
        editorSelected: values.role !== 'viewer',
      },
    });
  }
}
