import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isWellFormedToken, tokenHash } from '../../common/confirmation-token';
import { ConsoleSettings } from '../../config/environment';
import { OrganisationsService } from '../organisations/organisations.service';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { ConsoleSessionDto } from './dto/console-session.dto';

/** The console's session cookie: a random 256-bit token; the server keeps its hash (console_sessions). */
export const CONSOLE_SESSION_COOKIE = 'nida_session';

/** The synchronizer token of a session: derived from its secret, so the table holds no token. */
function csrfTokenOf(secret: Buffer): string {
  return createHmac('sha256', secret).update('nida:console-csrf').digest('base64url');
}

/**
 * Console sessions, stored server-side so logout, a password change and disabling an organiser
 * end them at once. The cookie carries a random 256-bit token (43 base64url characters); the
 * table keeps SHA-256(token) as the id. A session lives CONSOLE_SESSION_IDLE_MINUTES past its
 * last request and never longer than CONSOLE_SESSION_MAX_HOURS; its organiser must still exist
 * (and be enabled) at every request.
 */
@Injectable()
export class ConsoleSessionsService {
  constructor(
    private readonly sessions: ConsoleSessionsRepository,
    private readonly organisations: OrganisationsService,
    private readonly settings: ConsoleSettings,
  ) {}

  /** Opens a session for the organiser; returns the token for the cookie. */
  async open(organiserId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.sessions.insert(tokenHash(token), organiserId, randomBytes(32), this.settings.CONSOLE_SESSION_MAX_HOURS);
    return token;
  }

  /** The live session a cookie's token names, or null (malformed, unknown, revoked, expired, idle, organiser gone). */
  async resolve(token: unknown): Promise<ConsoleSessionDto | null> {
    if (!isWellFormedToken(token)) return null;
    const live = await this.sessions.findLive(tokenHash(token), this.settings.CONSOLE_SESSION_IDLE_MINUTES);
    if (!live) return null;
    const organiser = await this.organisations.activeOrganiser(live.organiserId);
    if (!organiser) return null;
    return {
      principal: { id: organiser.id, organisationId: organiser.organisationId, role: organiser.role },
      name: organiser.name,
      email: organiser.email,
      csrfToken: csrfTokenOf(live.csrfSecret),
    };
  }

  /** Whether a form's token is the session's (constant time). */
  csrfMatches(session: ConsoleSessionDto, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Ends the session of this token (logout). */
  async revoke(token: unknown): Promise<void> {
    if (isWellFormedToken(token)) await this.sessions.revoke(tokenHash(token));
  }

  /** Ends every session of the organiser but the one of `keepToken` (none: all); returns how many. */
  async revokeAllOf(organiserId: string, keepToken: string | null = null): Promise<number> {
    return this.sessions.revokeAllOf(organiserId, keepToken && isWellFormedToken(keepToken) ? tokenHash(keepToken) : null);
  }
}
