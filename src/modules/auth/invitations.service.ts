import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isWellFormedToken, newTokenSeed, tokenFromSeed, tokenHash } from '../../common/confirmation-token';
import type { Principal } from '../../common/principal';
import { AppSettings, appSecret, ConsoleSettings } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { AuthErrors } from './auth.errors';
import { ConsoleSessionsService } from './console-sessions.service';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { InvitationResponseDto } from './dto/invitation-response.dto';
import { OrganiserTokensRepository } from './organiser-tokens.repository';

/**
 * Admins invite organisers by email. The invitee is created at once (so the address is taken and
 * the role set) with no name and a password nobody knows, and mailed a one-use link valid
 * CONSOLE_INVITATION_HOURS, stored only as its token's hash. Following it, they choose their name
 * and password and are signed in. Organiser, link and email commit together.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly tokens: OrganiserTokensRepository,
    private readonly mail: MailOutboxService,
    private readonly sessions: ConsoleSessionsService,
    private readonly audit: AuditService,
    private readonly settings: ConsoleSettings,
    private readonly app: AppSettings,
    private readonly dataSource: DataSource,
  ) {}

  async invite(admin: Principal, organisationId: string, dto: CreateInvitationDto, ip: string | null): Promise<InvitationResponseDto> {
    const role = dto.role ?? 'organiser';
    const locale = dto.locale ?? 'ar';
    const hours = this.settings.CONSOLE_INVITATION_HOURS;
    const seed = newTokenSeed();
    const hash = tokenHash(tokenFromSeed(appSecret(this.app), seed));
    const { organiserId, mailId } = await this.dataSource.transaction(async (m) => {
      const created = await this.organisations.createInvitedOrganiser(m, organisationId, dto.email, role);
      await this.tokens.insert(m, hash, created.id, 'invitation', hours * 60);
      const id = await this.mail.addForOrganiser(m, {
        kind: 'organiser.invitation',
        toOrganiserId: created.id,
        locale,
        payload: { linkPath: `/${locale}/console/invitation/`, ttlHours: hours, organisation: created.organisationName, asAdmin: role === 'admin' },
        tokenSeed: seed,
      });
      await this.audit.record({ actor: admin, action: 'organisers.invite', organisationId, subjectId: created.id, details: { role }, ip }, m);
      return { organiserId: created.id, mailId: id };
    });
    await this.mail.enqueue([mailId]);
    return {
      organiserId,
      organisationId,
      email: dto.email.trim().toLowerCase(),
      role,
      expiresAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
    };
  }

  /** Whether an invitation's token can still be used. */
  async isLive(token: unknown): Promise<boolean> {
    return isWellFormedToken(token) && (await this.tokens.findLive(tokenHash(token), 'invitation')) !== null;
  }

  /** Accepts an invitation (once): the invitee's name and password; returns a new session's token. */
  async accept(token: unknown, name: string, password: string, ip: string): Promise<string> {
    if (!isWellFormedToken(token)) throw AuthErrors.invitationInvalid();
    const organiserId = await this.dataSource.transaction((m) => this.tokens.consume(m, tokenHash(token), 'invitation'));
    const organiser = organiserId ? await this.organisations.activeOrganiser(organiserId) : null;
    if (!organiser) throw AuthErrors.invitationInvalid();
    await this.organisations.completeInvitation(organiser.id, name, password);
    const principal = { id: organiser.id, organisationId: organiser.organisationId, role: organiser.role };
    await this.audit.record({ actor: principal, action: 'organisers.invitation_accept', subjectId: organiser.id, ip });
    return this.sessions.open(organiser.id);
  }
}
