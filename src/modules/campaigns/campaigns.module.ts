import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from './campaign.entity';
import { CampaignPartner } from './campaign-partner.entity';
import { CampaignsController } from './campaigns.controller';
import { PartnersController } from './partners.controller';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { AuditModule } from '../audit/audit.module';
import { TallyModule } from '../tally/tally.module';

@Module({
  imports: [TypeOrmModule.forFeature([Campaign, CampaignPartner]), TallyModule, AuditModule],
  controllers: [CampaignsController, PartnersController],
  providers: [CampaignsService, CampaignsRepository, PartnersService, PartnersRepository],
  exports: [CampaignsService, PartnersService],
})
export class CampaignsModule {}
