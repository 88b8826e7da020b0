import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonErrors } from '../../common/app-error';
import { AuthService } from './auth.service';
import { AuthErrors } from './auth.errors';
import { AUTH_LEVEL, AuthLevel, CONSOLE_SESSION_AUTH, Principal } from '../../common/principal';
import { parseCookies } from '../../common/cookies';
import { CONSOLE_SESSION_COOKIE, ConsoleSessionsService } from './console-sessions.service';

/**
 * Global guard. Routes are public unless marked RequireOrganiser/RequireAdmin. A token must be
 * valid and its organiser must still exist, enabled, with the password the token was issued under
 * (role and organisation are read afresh, so a change takes effect at once). No or bad token → 401; valid token without the right → 403.
 * A route marked AllowConsoleSession also takes, for GET and HEAD only and only when the request has
 * no Authorization header, the console's live session cookie (its organiser read afresh too): a
 * bad bearer token never falls back to the cookie, and no cookie ever authorises a write (CSRF).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AuthLevel | undefined>(AUTH_LEVEL, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!level) return true;
    const request = context.switchToHttp().getRequest<{ method: string; headers: Record<string, string | undefined>; principal?: Principal }>();
    if (request.headers.authorization === undefined && (request.method === 'GET' || request.method === 'HEAD') && this.allowsSession(context)) {
      const session = await this.sessions.resolve(parseCookies(request.headers.cookie).get(CONSOLE_SESSION_COOKIE));
      if (!session) throw CommonErrors.authRequired();
      return this.admit(request, session.principal, level);
    }
    const organiser = await this.auth.principalOfBearer(request.headers.authorization);
    if (!organiser) throw CommonErrors.authRequired();
    return this.admit(request, organiser, level);
  }

  private admit(request: { principal?: Principal }, principal: Principal, level: AuthLevel): boolean {
    request.principal = principal;
    if (level === 'admin' && principal.role !== 'admin') throw AuthErrors.adminOnly();
    return true;
  }

  private allowsSession(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(CONSOLE_SESSION_AUTH, [context.getHandler(), context.getClass()]) === true;
  }
}
