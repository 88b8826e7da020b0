import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Environment } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { normaliseOrganiserEmail, OrganisationsService } from '../organisations/organisations.service';
import { AuthErrors } from './auth.errors';
import { ConsoleSessionsService } from './console-sessions.service';
import { LoginResponseDto } from './dto/login-response.dto';
import type { OrganiserCredentialsDto } from '../organisations/dto/organiser-credentials.dto';
import type { OrganiserResponseDto } from '../organisations/dto/organiser-response.dto';
import { LoginThrottleService } from './login-throttle.service';
import { decoyHash, verifyPassword } from '../../common/password-hasher';
import type { Principal } from '../../common/principal';

/** What Nida's bearer tokens carry (see login). */
interface TokenClaims {
  sub: string;
  /** The organiser's credentials version when the token was issued (absent in older tokens: 0). */
  ver?: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    private readonly env: Environment,
    private readonly audit: AuditService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  async login(rawEmail: string, password: string, ip: string): Promise<LoginResponseDto> {
    const found = await this.authenticate(rawEmail, password, ip);
    const accessToken = await this.jwt.signAsync({ sub: found.id, org: found.organisationId, role: found.role, ver: found.credentialsVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.env.AUTH_TOKEN_TTL_SECONDS };
  }

  /**
   * The enabled organiser behind an `Authorization: Bearer …` header: a token this app signed, not
   * expired, whose credentials version is still the organiser's (no password set since); null
   * otherwise. Role and organisation are read afresh.
   */
  async principalOfBearer(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer +([A-Za-z0-9_.-]{10,4096})$/i.exec(authorization ?? '');
    if (!match) return null;
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1]);
    } catch {
      return null;
    }
    const version = claims.ver === undefined ? 0 : claims.ver;
    return typeof claims.sub === 'string' && Number.isInteger(version) ? this.organisations.principalOfToken(claims.sub, version) : null;
  }

  /**
   * The console's sign-in: the same rules, throttle and audit as the API's login, answered with
   * a server-side session (its token, for the cookie) instead of a bearer token.
   */
  async consoleLogin(rawEmail: string, password: string, ip: string): Promise<string> {
    const found = await this.authenticate(rawEmail, password, ip);
    return this.sessions.open(found.id);
  }

  /**
   * A signed-in organiser changes their password: the current one is checked under the same
   * throttle as a login (a stolen session cannot guess it faster), and every other session of
   * theirs ends, as does every bearer token issued before (their credentials version moved on).
   */
  async changePassword(principal: Principal, keepSessionToken: string | null, current: string, next: string, ip: string): Promise<void> {
    const email = (await this.organisations.emailOf(principal.id)) ?? '';
    const wait = await this.throttle.reserve(email, ip);
    if (wait > 0) throw AuthErrors.throttled(wait);
    const found = await this.organisations.credentialsByEmail(email);
    if (!found || found.id !== principal.id || !(await verifyPassword(current, found.passwordHash))) throw AuthErrors.currentPasswordWrong();
    await this.throttle.release(email, ip);
    await this.organisations.setPassword(principal.id, next);
    const ended = await this.sessions.revokeAllOf(principal.id, keepSessionToken);
    await this.audit.record({ actor: principal, action: 'auth.password_change', subjectId: principal.id, details: { sessionsEnded: ended }, ip });
  }

  /**
   * An admin disables an organiser (or enables them again). A disabled organiser's bearer tokens
   * are refused at their next request (the guard reads the organiser every time), their console
   * sessions are revoked, and they cannot sign in. An admin cannot disable themself (so the
   * last admin cannot lock everyone out).
   */
  async setOrganiserDisabled(admin: Principal, organisationId: string, organiserId: string, disabled: boolean, ip: string): Promise<OrganiserResponseDto> {
    if (disabled && organiserId.toLowerCase() === admin.id) throw AuthErrors.cannotDisableSelf();
    const organiser = await this.organisations.setOrganiserDisabled(organisationId, organiserId, disabled);
    const ended = disabled ? await this.sessions.revokeAllOf(organiser.id) : 0;
    await this.audit.record({
      actor: admin,
      action: disabled ? 'organisers.disable' : 'organisers.enable',
      organisationId,
      subjectId: organiser.id,
      details: disabled ? { sessionsEnded: ended } : {},
      ip,
    });
    return organiser;
  }

  /** Throttle, password check and audit, shared by every way of signing in. */
  private async authenticate(rawEmail: string, password: string, ip: string): Promise<OrganiserCredentialsDto> {
    const email = normaliseOrganiserEmail(rawEmail);
    // The attempt is counted before the password is checked, so concurrent guesses cannot all
    // slip through before the first failure is recorded; a failure simply keeps it counted.
    const wait = await this.throttle.reserve(email, ip);
    if (wait > 0) throw AuthErrors.throttled(wait);

    const found = await this.organisations.credentialsByEmail(email);
    // The same work is done for an unknown account, so timing does not tell which emails exist.
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) {
      // Recorded for a known and an unknown account alike (one INSERT either way), never with the email.
      await this.audit.record({
        actor: 'system',
        action: 'auth.login_failed',
        subjectId: found?.id ?? null,
        organisationId: found?.organisationId ?? null,
        ip,
      });
      throw AuthErrors.invalidCredentials();
    }
    await this.throttle.release(email, ip);
    await this.audit.record({ actor: { id: found.id, organisationId: found.organisationId, role: found.role }, action: 'auth.login', ip });
    return found;
  }
}
