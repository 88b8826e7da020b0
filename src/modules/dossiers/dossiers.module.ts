import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { LettersModule } from '../letters/letters.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { TallyModule } from '../tally/tally.module';
import { TargetsModule } from '../targets/targets.module';
import { DossierPrinter } from './dossier-printer';
import { DossierSendsRepository } from './dossier-sends.repository';
import { DossiersController } from './dossiers.controller';
import { DossiersService } from './dossiers.service';

/** Targets' dossiers: the petition as a PDF (Chromium), downloaded or emailed to the target. Owns table dossier_sends. */
@Module({
  imports: [CampaignsModule, TargetsModule, LettersModule, TallyModule, SignaturesModule, AuditModule],
  controllers: [DossiersController],
  providers: [DossiersService, DossierPrinter, DossierSendsRepository],
  exports: [DossiersService],
})
export class DossiersModule {}
