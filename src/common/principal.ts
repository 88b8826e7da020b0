/**
 * The authenticated principal: shared vocabulary of every module with organiser routes. The auth
 * module sets it on the request (AuthGuard); others read it and ask `canActFor`.
 */
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const ORGANISER_ROLES = ['admin', 'organiser'] as const;
export type OrganiserRole = (typeof ORGANISER_ROLES)[number];

/** Who is calling: the organiser behind a valid bearer token (or, where allowed, a console session). */
export interface Principal {
  id: string;
  organisationId: string;
  role: OrganiserRole;
}

export const AUTH_LEVEL = 'nida:auth-level';
export type AuthLevel = 'organiser' | 'admin';

/** The route needs a signed-in organiser (any role). */
export const RequireOrganiser = () => SetMetadata(AUTH_LEVEL, 'organiser' satisfies AuthLevel);
/** The route needs an admin. */
export const RequireAdmin = () => SetMetadata(AUTH_LEVEL, 'admin' satisfies AuthLevel);

export const CONSOLE_SESSION_AUTH = 'nida:console-session-auth';
/**
 * A GET route that also takes the console's session cookie (`nida_session`) when the request
 * brings no Authorization header: for downloads a signed-in organiser opens from the console (the
 * CSV export). Only safe methods are let through that way; a bearer token, when given, decides.
 */
export const AllowConsoleSession = () => SetMetadata(CONSOLE_SESSION_AUTH, true);

/** The Principal of the request (set by the AuthGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

/** Admins see every organisation; organisers only their own. */
export function canActFor(principal: Principal, organisationId: string): boolean {
  return principal.role === 'admin' || principal.organisationId === organisationId;
}
