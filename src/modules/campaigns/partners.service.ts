import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../../common/principal';
import { postgresErrorCode } from '../../infra/database/postgres-errors';
import { CampaignErrors } from './campaigns.errors';
import { CampaignsService } from './campaigns.service';
import type { PartnerRole } from './campaign-partner.entity';
import type { InvitePartnerDto } from './dto/invite-partner.dto';
import type { PartnerListResponseDto, PartnerResponseDto, PartnershipResponseDto } from './dto/partner-response.dto';
import { PartnerRow, PartnershipRow, PartnersRepository } from './partners.repository';

/**
 * Coalitions: the lead organisation of a campaign invites partner organisations (editor or
 * viewer); a partner's organisers accept or decline; the lead changes a role or removes a partner.
 * What each may then do on the campaign is CampaignsService.owned's rule.
 */
@Injectable()
export class PartnersService {
  private readonly logger = new Logger(PartnersService.name);

  constructor(
    private readonly partners: PartnersRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  /** The campaign's lead and partners (any organisation running it may see them). */
  async list(principal: Principal, campaignId: string): Promise<PartnerListResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    const [lead, rows] = await Promise.all([this.partners.organisationName(campaign.organisationId), this.partners.list(campaign.id)]);
    return { lead: { id: campaign.organisationId, name: lead ?? '' }, items: rows.map(partnerDto) };
  }

  /** Invites an organisation (the lead only); 409 PARTNER_EXISTS when it is invited or a partner already. */
  async invite(principal: Principal, campaignId: string, dto: InvitePartnerDto): Promise<PartnerResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const organisationId = dto.organisationId.toLowerCase();
    if (organisationId === campaign.organisationId) throw CampaignErrors.partnerIsLead();
    if (!(await this.partners.organisationExists(organisationId))) throw CampaignErrors.partnerOrganisationNotFound();
    // An organisation deleted meanwhile fails the insert's foreign key: the same 404.
    const row = await this.partners.invite(campaign.id, organisationId, dto.role, principal.id).catch((error: unknown) => {
      if (postgresErrorCode(error) === '23503') {
        throw CampaignErrors.partnerOrganisationNotFound();
      }
      throw error;
    });
    if (!row) throw CampaignErrors.partnerExists();
    this.logger.log({ campaignId: campaign.id, organisationId, role: dto.role }, 'Partner invited');
    return partnerDto(row);
  }

  /** Changes a partner's role (the lead only). */
  async setRole(principal: Principal, campaignId: string, organisationId: string, role: PartnerRole): Promise<PartnerResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const row = await this.partners.setRole(campaign.id, organisationId, role);
    if (!row) throw CampaignErrors.partnerNotFound();
    return partnerDto(row);
  }

  /** Removes a partner or withdraws an invitation (the lead only); removing one already gone is no error. */
  async remove(principal: Principal, campaignId: string, organisationId: string): Promise<void> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const moved = await this.partners.move(campaign.id, organisationId, ['invited', 'accepted', 'declined'], 'removed');
    if (!moved) {
      const row = await this.partners.find(campaign.id, organisationId);
      if (row?.status !== 'removed') throw CampaignErrors.partnerNotFound();
    }
  }

  /** The organisations the lead may invite (every other one, by name), for the console's picker. */
  async candidates(principal: Principal, campaignId: string): Promise<{ id: string; name: string }[]> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    return this.partners.organisationsExcept(campaign.organisationId);
  }

  /** The caller's organisation's invitations and partnerships. */
  async mine(principal: Principal): Promise<PartnershipResponseDto[]> {
    return (await this.partners.ofOrganisation(principal.organisationId)).map(partnershipDto);
  }

  /** Accepts an invitation of the caller's organisation (again: the same); 404 PARTNERSHIP_NOT_FOUND when there is none. */
  async accept(principal: Principal, campaignId: string): Promise<PartnershipResponseDto> {
    return this.respond(principal, campaignId, ['invited'], 'accepted');
  }

  /** Declines an invitation, or leaves a campaign the organisation runs as a partner (again: the same). */
  async decline(principal: Principal, campaignId: string): Promise<PartnershipResponseDto> {
    return this.respond(principal, campaignId, ['invited', 'accepted'], 'declined');
  }

  private async respond(principal: Principal, campaignId: string, from: ('invited' | 'accepted')[], to: 'accepted' | 'declined') {
    const moved = await this.partners.move(campaignId, principal.organisationId, from, to);
    if (!moved) {
      const row = await this.partners.find(campaignId, principal.organisationId);
      if (row?.status !== to) throw CampaignErrors.partnershipNotFound();
    }
    const found = (await this.partners.ofOrganisation(principal.organisationId, true)).find((p) => p.campaignId === campaignId);
    if (!found) throw CampaignErrors.partnershipNotFound();
    this.logger.log({ campaignId, organisationId: principal.organisationId, status: to }, 'Partnership answered');
    return partnershipDto(found);
  }
}

function partnerDto(r: PartnerRow): PartnerResponseDto {
  return {
    organisationId: r.organisationId,
    organisationName: r.organisationName,
    role: r.role,
    status: r.status,
    invitedAt: r.createdAt.toISOString(),
    respondedAt: r.respondedAt?.toISOString() ?? null,
  };
}

function partnershipDto(r: PartnershipRow): PartnershipResponseDto {
  return { ...partnerDto(r), campaign: { id: r.campaignId, ...r.campaign }, lead: r.lead };
}
