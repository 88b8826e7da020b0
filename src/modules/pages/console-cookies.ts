import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookies, serializeCookie } from '../../common/cookies';
import { AppSettings, appSecret, HttpSettings } from '../../config/environment';
import { CONSOLE_SESSION_COOKIE, ConsoleSessionsService } from '../auth/console-sessions.service';
import type { ConsoleSessionDto } from '../auth/dto/console-session.dto';

/** The session cookie: a random 256-bit token; the server keeps its hash (console_sessions). */
export const SESSION_COOKIE = CONSOLE_SESSION_COOKIE;
/** The login form's CSRF cookie (no session exists yet): a random value the form's token is signed over. */
export const LOGIN_COOKIE = 'nida_login';
/** The hidden field of every console form. */
export const CSRF_FIELD = 'csrf';

/** How long a login page's CSRF cookie lasts (a form left open that long must be reloaded). */
const LOGIN_COOKIE_SECONDS = 12 * 3600;

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

/**
 * The console's cookies and CSRF checks, for the page controllers.
 * - Session: `nida_session`, HttpOnly, SameSite=Lax, Path=/, Secure when PUBLIC_URL is https; a
 *   browser-session cookie (the server decides expiry: CONSOLE_SESSION_IDLE_MINUTES/MAX_HOURS).
 * - Forms after sign-in carry the session's synchronizer token (ConsoleSessionsService).
 * - The login form, which has no session yet, uses a signed double-submit token: the page sets
 *   `nida_login` (random, HttpOnly) and the form carries HMAC(APP_SECRET, its value); a post must
 *   bring both. Another site can neither read the cookie nor compute the HMAC, so it cannot sign
 *   a victim in to an account of its choosing (login CSRF).
 */
@Injectable()
export class ConsoleCookies {
  private readonly secure: boolean;

  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly app: AppSettings,
    http: HttpSettings,
  ) {
    this.secure = http.PUBLIC_URL.startsWith('https:');
  }

  /** The request's session token (the cookie as sent), or null. */
  token(request: FastifyRequest): string | null {
    return parseCookies(request.headers.cookie).get(SESSION_COOKIE) ?? null;
  }

  /** The live session of the request, or null. */
  resolve(request: FastifyRequest): Promise<ConsoleSessionDto | null> {
    return this.sessions.resolve(this.token(request));
  }

  /** Whether a post carries the session's CSRF token. */
  csrfValid(session: ConsoleSessionDto, request: FastifyRequest): boolean {
    return this.sessions.csrfMatches(session, formBody(request)[CSRF_FIELD]);
  }

  setSession(reply: FastifyReply, token: string): void {
    void reply.header('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, token, { secure: this.secure }),
      serializeCookie(LOGIN_COOKIE, '', { secure: this.secure, maxAge: 0 }),
    ]);
  }

  clearSession(reply: FastifyReply): void {
    void reply.header('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { secure: this.secure, maxAge: 0 }));
  }

  /** The login form's token; sets the `nida_login` cookie when the request has none. */
  loginToken(request: FastifyRequest, reply: FastifyReply): string {
    let value = parseCookies(request.headers.cookie).get(LOGIN_COOKIE);
    if (!value || !WELL_FORMED.test(value)) {
      value = randomBytes(32).toString('base64url');
      void reply.header('Set-Cookie', serializeCookie(LOGIN_COOKIE, value, { secure: this.secure, maxAge: LOGIN_COOKIE_SECONDS }));
    }
    return this.loginMac(value);
  }

  /** Whether a login post brings the cookie and the form token signed over it. */
  loginCsrfValid(request: FastifyRequest): boolean {
    const value = parseCookies(request.headers.cookie).get(LOGIN_COOKIE);
    const given = formBody(request)[CSRF_FIELD];
    if (!value || !WELL_FORMED.test(value) || typeof given !== 'string') return false;
    const expected = Buffer.from(this.loginMac(value));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private loginMac(value: string): string {
    return createHmac('sha256', appSecret(this.app)).update(`console-login:${value}`).digest('base64url');
  }
}

/** A urlencoded form's fields (empty when the body is not a form). */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
}

/** A form field as text ('' when absent or not a string). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}
