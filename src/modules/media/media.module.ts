import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignMedia } from './campaign-media.entity';
import { MediaController } from './media.controller';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { ShareCardRenderer } from './share-card-renderer';

@Module({
  imports: [TypeOrmModule.forFeature([CampaignMedia]), CampaignsModule, AuditModule],
  controllers: [MediaController],
  providers: [MediaService, MediaRepository, ShareCardRenderer],
  exports: [MediaService],
})
export class MediaModule {}
