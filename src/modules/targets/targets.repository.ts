import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Target } from './target.entity';

@Injectable()
export class TargetsRepository {
  constructor(@InjectRepository(Target) private readonly repo: Repository<Target>) {}

  insert(fields: Partial<Target>, manager: EntityManager = this.repo.manager): Promise<Target> {
    return manager.save(manager.create(Target, fields));
  }

  listByCampaign(campaignId: string): Promise<Target[]> {
    return this.repo.find({ where: { campaignId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
