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

  findOne(campaignId: string, id: string): Promise<Target | null> {
    return this.repo.findOneBy({ campaignId, id });
  }

  async save(target: Target): Promise<Target> {
    await this.repo.save(target);
    return this.repo.findOneByOrFail({ id: target.id });
  }

  async remove(campaignId: string, id: string): Promise<boolean> {
    return ((await this.repo.delete({ campaignId, id })).affected ?? 0) > 0;
  }

  listByCampaign(campaignId: string): Promise<Target[]> {
    return this.repo.find({ where: { campaignId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
