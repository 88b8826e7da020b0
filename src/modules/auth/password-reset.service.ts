import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundTasks } from '../../common/background-tasks';
import { isWellFormedToken, newTokenSeed, tokenFromSeed, tokenHash } from '../../common/confirmation-token';
import type { Locale } from '../../common/locale';
import { AppSettings, appSecret, ConsoleSettings } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { normaliseOrganiserEmail, OrganisationsService } from '../organisations/organisations.service';
import { AuthErrors } from './auth.errors';
import { ConsoleSessionsService } from './console-sessions.service';
import { OrganiserTokensRepository } from './organiser-tokens.repository';

/** At most one reset email per organiser in this many minutes (asking again sooner sends nothing). */
const RESEND_AFTER_MINUTES = 2;

/**
 * A forgotten password, by email link. Asking answers the same, at once, for every address (the
 * work is done after the response, so neither the words nor the timing tell whether an account
 * exists); a known, enabled organiser is mailed a one-use link valid CONSOLE_RESET_LINK_MINUTES,
 * stored only as its token's hash. Using it sets the password, ends every session and every
 * other reset link, and signs the organiser in.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly tokens: OrganiserTokensRepository,
    private readonly mail: MailOutboxService,
    private readonly sessions: ConsoleSessionsService,
    private readonly audit: AuditService,
    private readonly settings: ConsoleSettings,
    private readonly app: AppSettings,
    private readonly dataSource: DataSource,
    private readonly afterResponse: BackgroundTasks,
  ) {}

  /** Queues a reset email when the address is an enabled organiser's; returns at once either way. */
  request(rawEmail: string, locale: Locale): void {
    const email = normaliseOrganiserEmail(rawEmail);
    this.afterResponse.run(() => this.send(email, locale));
  }

  private async send(email: string, locale: Locale): Promise<void> {
    const found = await this.organisations.credentialsByEmail(email);
    if (!found || (await this.tokens.sentSince(found.id, 'password_reset', RESEND_AFTER_MINUTES))) return;
    const seed = newTokenSeed();
    const hash = tokenHash(tokenFromSeed(appSecret(this.app), seed));
    const minutes = this.settings.CONSOLE_RESET_LINK_MINUTES;
    const id = await this.dataSource.transaction(async (m) => {
      await this.tokens.insert(m, hash, found.id, 'password_reset', minutes);
      return this.mail.addForOrganiser(m, {
        kind: 'organiser.password-reset',
        toOrganiserId: found.id,
        locale,
        payload: { linkPath: `/${locale}/console/reset/`, ttlMinutes: minutes },
        tokenSeed: seed,
      });
    });
    await this.mail.enqueue([id]);
  }

  /** Whether a link's token can still be used (to show the form or say it expired). */
  async isLive(token: unknown): Promise<boolean> {
    return isWellFormedToken(token) && (await this.tokens.findLive(tokenHash(token), 'password_reset')) !== null;
  }

  /** Sets the password from a live link (once); returns a new session's token. */
  async reset(token: unknown, password: string, ip: string): Promise<string> {
    if (!isWellFormedToken(token)) throw AuthErrors.resetLinkInvalid();
    const organiserId = await this.dataSource.transaction(async (m) => {
      const id = await this.tokens.consume(m, tokenHash(token), 'password_reset');
      if (id) await this.tokens.expireAllOf(m, id, 'password_reset');
      return id;
    });
    const organiser = organiserId ? await this.organisations.activeOrganiser(organiserId) : null;
    if (!organiser) throw AuthErrors.resetLinkInvalid();
    await this.organisations.setPassword(organiser.id, password);
    const ended = await this.sessions.revokeAllOf(organiser.id);
    const principal = { id: organiser.id, organisationId: organiser.organisationId, role: organiser.role };
    await this.audit.record({ actor: principal, action: 'auth.password_reset', subjectId: organiser.id, details: { sessionsEnded: ended }, ip });
    return this.sessions.open(organiser.id);
  }
}
