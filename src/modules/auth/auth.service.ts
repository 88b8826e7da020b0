import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Environment } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { normaliseOrganiserEmail, OrganisationsService } from '../organisations/organisations.service';
import { AuthErrors } from './auth.errors';
import { LoginResponseDto } from './dto/login-response.dto';
import { LoginThrottleService } from './login-throttle.service';
import { decoyHash, verifyPassword } from '../../common/password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    private readonly env: Environment,
    private readonly audit: AuditService,
  ) {}

  async login(rawEmail: string, password: string, ip: string): Promise<LoginResponseDto> {
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
    const accessToken = await this.jwt.signAsync({ sub: found.id, org: found.organisationId, role: found.role });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.env.AUTH_TOKEN_TTL_SECONDS };
  }
}
