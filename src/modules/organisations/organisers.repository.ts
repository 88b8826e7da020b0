import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Organiser } from './organiser.entity';
import { OrganiserRole } from '../../common/principal';

@Injectable()
export class OrganisersRepository {
  constructor(@InjectRepository(Organiser) private readonly repo: Repository<Organiser>) {}

  findById(id: string): Promise<Organiser | null> {
    return this.repo.findOneBy({ id });
  }

  /** The only read that loads the password hash. */
  findWithPasswordByEmail(email: string): Promise<Organiser | null> {
    return this.repo
      .createQueryBuilder('o')
      .addSelect('o.passwordHash')
      .where('o.email = :email', { email })
      .getOne();
  }

  /** Sets or clears disabled_at (keeping an earlier one); the organiser as it is now, or null when not of this organisation. */
  async setDisabled(organisationId: string, id: string, disabled: boolean): Promise<Organiser | null> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ disabledAt: () => (disabled ? 'COALESCE(disabled_at, now())' : 'NULL') })
      .where('id = :id AND organisation_id = :organisationId', { id, organisationId })
      .execute();
    return this.repo.findOneBy({ id, organisationId });
  }

  async updateNameAndPasswordHash(id: string, name: string, passwordHash: string): Promise<void> {
    await this.repo.update({ id }, { name, passwordHash });
  }

  /** Sets the password hash and raises the credentials version (ending bearer tokens issued before). */
  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.repo.query(`UPDATE organisers SET password_hash = $2, credentials_version = credentials_version + 1, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  listByOrganisation(organisationId: string): Promise<Organiser[]> {
    return this.repo.find({ where: { organisationId }, order: { createdAt: 'ASC' } });
  }

  async exists(manager: EntityManager = this.repo.manager): Promise<boolean> {
    return (await manager.getRepository(Organiser).count({ take: 1 })) > 0;
  }

  async insert(
    fields: { organisationId: string; email: string; name: string; role: OrganiserRole; passwordHash: string },
    manager: EntityManager = this.repo.manager,
  ): Promise<Organiser> {
    const saved = await manager.save(manager.create(Organiser, fields));
    return (await manager.getRepository(Organiser).findOneByOrFail({ id: saved.id }));
  }

  /** Every admin, oldest first. */
  listAdmins(): Promise<Organiser[]> {
    return this.repo.find({ where: { role: 'admin' }, order: { createdAt: 'ASC' } });
  }

  /** The ids of the organisation's organisers not disabled, oldest first. */
  async listEnabledIds(manager: EntityManager, organisationId: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM organisers WHERE organisation_id = $1 AND disabled_at IS NULL ORDER BY created_at, id`,
      [organisationId],
    );
    return rows.map((r) => r.id);
  }
}
