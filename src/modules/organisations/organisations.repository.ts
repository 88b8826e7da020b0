import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Organisation } from './organisation.entity';

@Injectable()
export class OrganisationsRepository {
  constructor(@InjectRepository(Organisation) private readonly repo: Repository<Organisation>) {}

  findById(id: string): Promise<Organisation | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string, manager: EntityManager = this.repo.manager): Promise<Organisation | null> {
    return manager.getRepository(Organisation).createQueryBuilder('o').where('lower(o.name) = lower(:name)', { name }).getOne();
  }

  list(): Promise<Organisation[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  insert(name: string, manager: EntityManager = this.repo.manager): Promise<Organisation> {
    return manager.save(manager.create(Organisation, { name }));
  }
}
