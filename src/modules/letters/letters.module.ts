import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TargetsModule } from '../targets/targets.module';
import { LettersController } from './letters.controller';
import { LettersRepository } from './letters.repository';
import { LettersService } from './letters.service';

/** Letter templates: the campaign's letter, its translations, placeholders and the preview. */
@Module({
  imports: [CampaignsModule, TargetsModule],
  controllers: [LettersController],
  providers: [LettersService, LettersRepository],
  exports: [LettersService],
})
export class LettersModule {}
