import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../infra/database/postgres-errors';
import { hashPassword } from '../../common/password-hasher';
import { CreateOrganiserDto } from './dto/create-organiser.dto';
import { OrganisationResponseDto } from './dto/organisation-response.dto';
import { OrganiserResponseDto } from './dto/organiser-response.dto';
import { OrganiserCredentialsDto } from './dto/organiser-credentials.dto';
import type { AdminRecipientDto } from './dto/admin-recipient.dto';
import type { OrganiserRole, Principal } from '../../common/principal';
import { OrganisationErrors } from './organisations.errors';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisersRepository } from './organisers.repository';

/** Organisers sign in with their address as typed, in any case, with stray spaces. */
export function normaliseOrganiserEmail(email: string): string {
  return email.trim().toLowerCase();
}

const FIRST_ADMIN_LOCK = 4_260_002;

@Injectable()
export class OrganisationsService {
  private readonly logger = new Logger(OrganisationsService.name);

  constructor(
    private readonly organisations: OrganisationsRepository,
    private readonly organisers: OrganisersRepository,
    private readonly dataSource: DataSource,
  ) {}

  async createOrganisation(name: string): Promise<OrganisationResponseDto> {
    try {
      return OrganisationResponseDto.from(await this.organisations.insert(name));
    } catch (error) {
      if (isUniqueViolation(error, 'organisations_name_key')) throw OrganisationErrors.nameTaken();
      throw error;
    }
  }

  async listOrganisations(): Promise<OrganisationResponseDto[]> {
    return (await this.organisations.list()).map(OrganisationResponseDto.from);
  }

  async requireOrganisation(id: string): Promise<void> {
    if (!(await this.organisations.findById(id))) throw OrganisationErrors.notFound();
  }

  async createOrganiser(organisationId: string, dto: CreateOrganiserDto): Promise<OrganiserResponseDto> {
    await this.requireOrganisation(organisationId);
    const passwordHash = await hashPassword(dto.password);
    try {
      const organiser = await this.organisers.insert({
        organisationId,
        email: normaliseOrganiserEmail(dto.email),
        name: dto.name,
        role: dto.role ?? 'organiser',
        passwordHash,
      });
      return OrganiserResponseDto.from(organiser);
    } catch (error) {
      if (isUniqueViolation(error, 'organisers_email_key')) throw OrganisationErrors.organiserEmailTaken();
      throw error;
    }
  }

  async listOrganisers(organisationId: string): Promise<OrganiserResponseDto[]> {
    await this.requireOrganisation(organisationId);
    return (await this.organisers.listByOrganisation(organisationId)).map(OrganiserResponseDto.from);
  }

  async getOrganiser(id: string): Promise<OrganiserResponseDto> {
    const found = await this.organisers.findById(id);
    if (!found) throw OrganisationErrors.organiserNotFound();
    return OrganiserResponseDto.from(found);
  }

  /**
   * Creates the first admin (and its organisation) when no organiser exists at all. Runs under
   * a transaction-scoped advisory lock, so processes starting together create it once.
   */
  async ensureFirstAdmin(email: string | undefined, password: string | undefined, organisationName: string) {
    if (!email || !password) return false;
    const passwordHash = await hashPassword(password);
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      if (await this.organisers.exists(manager)) return false;
      const organisation =
        (await this.organisations.findByName(organisationName)) ??
        (await this.organisations.insert(organisationName, manager));
      await this.organisers.insert(
        { organisationId: organisation.id, email: normaliseOrganiserEmail(email), name: 'Admin', role: 'admin', passwordHash },
        manager,
      );
      return true;
    });
    if (created) this.logger.log('Created the first admin from ADMIN_EMAIL');
    return created;
  }

  // ── for the auth module ───────────────────────────────────────────────────

  /** An organiser's id, organisation, role and password hash, by normalised email; null when none. */
  async credentialsByEmail(email: string): Promise<OrganiserCredentialsDto | null> {
    const found = await this.organisers.findWithPasswordByEmail(email);
    return found && !found.disabledAt ? { id: found.id, organisationId: found.organisationId, role: found.role, passwordHash: found.passwordHash, credentialsVersion: found.credentialsVersion } : null;
  }

  /** The principal of an organiser who still exists and is enabled (role and organisation as they are now); null otherwise. */
  async principalOf(id: string): Promise<Principal | null> {
    const found = await this.organisers.findById(id);
    return found && !found.disabledAt ? { id: found.id, organisationId: found.organisationId, role: found.role } : null;
  }

  /**
   * The principal behind a bearer token: as principalOf, and only while the token's credentials
   * version (0 for tokens from before versions) is the organiser's current one, i.e. the
   * password was not set since the token was issued.
   */
  async principalOfToken(id: string, version: number): Promise<Principal | null> {
    const found = await this.organisers.findById(id);
    return found && !found.disabledAt && found.credentialsVersion === version ? { id: found.id, organisationId: found.organisationId, role: found.role } : null;
  }

  /** An organiser who still exists and is enabled, as the API shows them; null otherwise. */
  async activeOrganiser(id: string): Promise<OrganiserResponseDto | null> {
    const found = await this.organisers.findById(id);
    return found && !found.disabledAt ? OrganiserResponseDto.from(found) : null;
  }

  /**
   * Disables (or enables again) an organiser of this organisation; the auth module ends their
   * sessions. Disabling twice keeps the first time.
   */
  async setOrganiserDisabled(organisationId: string, organiserId: string, disabled: boolean): Promise<OrganiserResponseDto> {
    await this.requireOrganisation(organisationId);
    const found = await this.organisers.setDisabled(organisationId, organiserId, disabled);
    if (!found) throw OrganisationErrors.organiserNotFound();
    return OrganiserResponseDto.from(found);
  }

  /**
   * An invited organiser, in the caller's transaction: no name yet and a password nobody knows
   * (a hash of random bytes), until they accept the invitation. Returns the id and the
   * organisation's name (for the email).
   */
  async createInvitedOrganiser(m: EntityManager, organisationId: string, email: string, role: OrganiserRole): Promise<{ id: string; organisationName: string }> {
    const organisation = await this.organisations.findById(organisationId);
    if (!organisation) throw OrganisationErrors.notFound();
    const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
    try {
      const organiser = await this.organisers.insert({ organisationId, email: normaliseOrganiserEmail(email), name: '', role, passwordHash }, m);
      return { id: organiser.id, organisationName: organisation.name };
    } catch (error) {
      if (isUniqueViolation(error, 'organisers_email_key')) throw OrganisationErrors.organiserEmailTaken();
      throw error;
    }
  }

  /** An accepted invitation: the organiser's name and first password. */
  async completeInvitation(id: string, name: string, password: string): Promise<void> {
    await this.organisers.updateNameAndPasswordHash(id, name, await hashPassword(password));
  }

  /** An organiser's (normalised) email; null when gone. */
  async emailOf(id: string): Promise<string | null> {
    return (await this.organisers.findById(id))?.email ?? null;
  }

  /** Sets an organiser's password (hashed here). */
  async setPassword(id: string, password: string): Promise<void> {
    await this.organisers.updatePasswordHash(id, await hashPassword(password));
  }

  // ── for the setup module ──────────────────────────────────────────────────

  /** The organisation with this name, created in the caller's transaction when there is none. */
  async findOrCreateByName(m: EntityManager, name: string): Promise<{ id: string }> {
    const found = (await this.organisations.findByName(name, m)) ?? (await this.organisations.insert(name, m));
    return { id: found.id };
  }

  // ── for the abuse module ──────────────────────────────────────────────────

  /** Every admin, to be emailed an alert (trending sources). */
  async adminRecipients(): Promise<AdminRecipientDto[]> {
    return (await this.organisers.listAdmins()).map((o) => ({ id: o.id }));
  }

  // ── for the notices module ────────────────────────────────────────────────

  /** The organisation's organisers who may be emailed about its campaigns (milestones, deadlines): every one not disabled, in the caller's transaction. */
  async campaignRecipients(m: EntityManager, organisationId: string): Promise<AdminRecipientDto[]> {
    return (await this.organisers.listEnabledIds(m, organisationId)).map((id) => ({ id }));
  }
}
