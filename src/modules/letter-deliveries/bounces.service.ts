import { Injectable, Logger } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import { Environment } from '../../config/environment';
import { TargetsService } from '../targets/targets.service';
import { BouncesRepository } from './bounces.repository';
import { letterIdFromBounceAddress, readDeliveryReport } from './delivery-report';

/**
 * Delivery reports sent back to a letter's bounce address (bounce+<letter id>@): a permanent
 * failure (5.x.x) marks the letter bounced, and BOUNCE_SUPPRESS_AFTER of them suppress its target;
 * temporary ones are logged, automatic replies ignored.
 */
@Injectable()
export class BouncesService {
  private readonly logger = new Logger(BouncesService.name);

  constructor(
    private readonly bounces: BouncesRepository,
    private readonly targets: TargetsService,
    private readonly env: Environment,
  ) {}

  /** A report received for `recipients` (bounce addresses; others are ignored). */
  async handleReport(recipients: string[], mail: ParsedMail): Promise<void> {
    const report = readDeliveryReport(mail);
    for (const letterId of recipients.map(letterIdFromBounceAddress).filter((id): id is string => id !== null)) {
      if (report.kind === 'permanent') {
        const result = await this.recordBounce(letterId, report.status);
        this.logger.log({ letterId, status: report.status, ...result }, 'Hard bounce');
      } else if (report.kind === 'temporary') {
        this.logger.log({ letterId, status: report.status }, 'Temporary delivery failure reported');
      } else {
        this.logger.debug({ letterId, kind: report.kind }, 'Report ignored');
      }
    }
  }

  /**
   * Marks a sent letter bounced (a permanent failure reported back), and suppresses its target once
   * it has BOUNCE_SUPPRESS_AFTER hard bounces: its waiting letters are failed and no more are
   * created. One transaction.
   */
  recordBounce(letterId: string, status: string): Promise<{ bounced: boolean; suppressed: boolean }> {
    return this.bounces.transaction(async (m) => {
      const targetId = await this.bounces.markBounced(m, letterId, status);
      if (!targetId) return { bounced: false, suppressed: false };
      if ((await this.bounces.countBounced(m, targetId)) < this.env.BOUNCE_SUPPRESS_AFTER) return { bounced: true, suppressed: false };
      const suppressed = await this.targets.suppress(m, targetId);
      if (suppressed) await this.bounces.failQueued(m, targetId, 'target suppressed after repeated hard bounces');
      return { bounced: true, suppressed };
    });
  }
}
