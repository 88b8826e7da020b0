import { Module } from '@nestjs/common';
import { TallyFoldLoop } from './jobs/tally-fold.loop';
import { TallyReconcileProcessor } from './jobs/tally-reconcile.processor';
import { TallyModule } from './tally.module';

/** The fold loop and the nightly reconciliation: loaded only in the `worker` and `all` roles. */
@Module({
  imports: [TallyModule],
  providers: [TallyFoldLoop, TallyReconcileProcessor],
})
export class TallyWorkersModule {}
