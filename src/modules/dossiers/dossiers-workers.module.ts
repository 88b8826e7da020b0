import { Module } from '@nestjs/common';
import { DossiersModule } from './dossiers.module';
import { DossierSendLoop } from './jobs/dossier-send.loop';

/** Sending dossier emails: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [DossiersModule],
  providers: [DossierSendLoop],
})
export class DossiersWorkersModule {}
