import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import { CreateTargetDto } from './dto/create-target.dto';
import { TargetResponseDto } from './dto/target-response.dto';
import { TargetsRepository } from './targets.repository';

@Injectable()
export class TargetsService {
  constructor(
    private readonly targets: TargetsRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  async create(principal: Principal, campaignId: string, dto: CreateTargetDto): Promise<TargetResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId);
    const target = await this.targets.insert({
      campaignId,
      name: dto.name,
      email: dto.email.toLowerCase(),
      title: dto.title ?? null,
      organisation: dto.organisation ?? null,
      locale: dto.locale ?? campaign.locale,
      country: dto.country ?? null,
    });
    return TargetResponseDto.from(target);
  }

  async list(principal: Principal, campaignId: string): Promise<TargetResponseDto[]> {
    await this.campaigns.owned(principal, campaignId);
    return (await this.targets.listByCampaign(campaignId)).map(TargetResponseDto.from);
  }
}
