import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { CommonErrors } from '../../common/app-error';
import { OrganisationsService } from '../organisations/organisations.service';
import { AuthErrors } from './auth.errors';
import { AUTH_LEVEL, AuthLevel, Principal } from '../../common/principal';

interface TokenClaims {
  sub: string;
}

/**
 * Global guard. Routes are public unless marked RequireOrganiser/RequireAdmin. A token must be
 * valid and its organiser must still exist (role and organisation are read afresh, so a change
 * takes effect at once). No or bad token → 401; valid token without the right → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly organisations: OrganisationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AuthLevel | undefined>(AUTH_LEVEL, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!level) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const match = /^Bearer +([A-Za-z0-9_.-]{10,4096})$/i.exec(request.headers.authorization ?? '');
    if (!match) throw CommonErrors.authRequired();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1]);
    } catch {
      throw CommonErrors.authRequired();
    }
    const organiser = typeof claims.sub === 'string' ? await this.organisations.principalOf(claims.sub) : null;
    if (!organiser) throw CommonErrors.authRequired();
    request.principal = organiser;
    if (level === 'admin' && organiser.role !== 'admin') throw AuthErrors.adminOnly();
    return true;
  }
}
