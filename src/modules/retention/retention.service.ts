import { Injectable, Logger } from '@nestjs/common';
import { PrivacySettings } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import type { RetentionBatch } from '../signatures/dto/retention-batch.dto';
import { SignaturesService } from '../signatures/signatures.service';
import { UpdatesService } from '../updates/updates.service';
import type { RetentionReport } from './dto/retention-report.dto';

/**
 * Supporters' data kept only for its purpose (PrivacySettings), daily (RETENTION_CRON) or from
 * the CLI (`retention:run [--dry-run]`). Four rules, each in batches of RETENTION_BATCH_SIZE rows
 * per transaction, so a big campaign never holds many locks at once; each module changes its own
 * tables through its service:
 *
 * 1. Never-confirmed signatures — pending, and held ones awaiting an organiser's review — are
 *    deleted with their tokens and emails PENDING_RETENTION_DAYS after their last confirmation
 *    link expired (without a link: after they were made). They were never counted.
 * 2. Sent and failed emails are deleted MAIL_RETENTION_DAYS after they were sent (failed: queued).
 * 3. The signatures of a campaign closed or won more than SIGNATURE_RETENTION_DAYS_AFTER_CLOSE ago
 *    are anonymised (SignaturesService.anonymise: email, name, city, comment, address hash gone;
 *    status, country and days kept, so counts and breakdowns are unchanged; unsent letters
 *    cancelled), then the campaign is marked done. A campaign reopened meanwhile is left alone.
 *
 * A dry run counts the same selections and changes nothing. A real run is in the audit log
 * (`retention.run`, actor `system`): one event with its counts, and one per campaign anonymised,
 * in that campaign's organisation's log. Running twice at once is safe (every change re-checks
 * its rule on locked rows), only the two reports may share the work.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly signatures: SignaturesService,
    private readonly mail: MailOutboxService,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
    private readonly privacy: PrivacySettings,
    private readonly updates: UpdatesService,
  ) {}

  async run({ dryRun }: { dryRun: boolean }): Promise<RetentionReport> {
    const p = this.privacy;
    const settings = {
      pendingRetentionDays: p.PENDING_RETENTION_DAYS,
      mailRetentionDays: p.MAIL_RETENTION_DAYS,
      signatureRetentionDaysAfterClose: p.SIGNATURE_RETENTION_DAYS_AFTER_CLOSE,
      updateDeliveryRetentionDays: p.UPDATE_DELIVERY_RETENTION_DAYS,
    };
    const report: RetentionReport = { dryRun, ...settings, ...(dryRun ? await this.count() : await this.apply()) };
    const { unconfirmedDeleted, emailsPurged, campaignsAnonymised, signaturesAnonymised, lettersCancelled, updateDeliveriesPurged } = report;
    this.logger.log(
      { dryRun, unconfirmedDeleted, emailsPurged, campaignsAnonymised, signaturesAnonymised, lettersCancelled, updateDeliveriesPurged },
      dryRun ? 'Retention dry run' : 'Retention run',
    );
    if (!dryRun) {
      await this.audit.record({
        actor: 'system',
        action: 'retention.run',
        details: { unconfirmedDeleted, emailsPurged, campaignsAnonymised, signaturesAnonymised, lettersCancelled, updateDeliveriesPurged },
      });
    }
    return report;
  }

  /** The dry run: the same selections, counted. */
  private async count(): Promise<Omit<RetentionReport, 'dryRun' | keyof RetentionSettings>> {
    const p = this.privacy;
    const due = await this.campaigns.dueForAnonymisation(p.SIGNATURE_RETENTION_DAYS_AFTER_CLOSE);
    const [unconfirmedDeleted, emailsPurged, signaturesAnonymised, updateDeliveriesPurged] = await Promise.all([
      this.signatures.countStaleUnconfirmed(p.PENDING_RETENTION_DAYS),
      this.mail.countFinished(p.MAIL_RETENTION_DAYS),
      this.signatures.countToAnonymise(due),
      this.updates.countFinishedDeliveries(p.UPDATE_DELIVERY_RETENTION_DAYS),
    ]);
    return { unconfirmedDeleted, emailsPurged, campaignsAnonymised: due.length, signaturesAnonymised, lettersCancelled: null, updateDeliveriesPurged };
  }

  private async apply(): Promise<Omit<RetentionReport, 'dryRun' | keyof RetentionSettings>> {
    const p = this.privacy;
    const batch = p.RETENTION_BATCH_SIZE;

    const unconfirmed = await walk(batch, (after) => this.signatures.deleteStaleUnconfirmed(p.PENDING_RETENTION_DAYS, after, batch));

    let emailsPurged = 0;
    for (;;) {
      const purged = await this.mail.purgeFinished(p.MAIL_RETENTION_DAYS, batch);
      emailsPurged += purged;
      if (purged < batch) break;
    }

    const days = p.SIGNATURE_RETENTION_DAYS_AFTER_CLOSE;
    let campaignsAnonymised = 0;
    let signaturesAnonymised = 0;
    let lettersCancelled = 0;
    for (const campaignId of await this.campaigns.dueForAnonymisation(days)) {
      const done = await walk(batch, (after) => this.signatures.anonymiseCampaignBatch(campaignId, days, after, batch));
      signaturesAnonymised += done.changed;
      lettersCancelled += done.lettersCancelled;
      // Reopened meanwhile (a batch found it no longer due): its clock starts again at its next close.
      if (done.complete && (await this.campaigns.markSupportersAnonymised(campaignId, days))) {
        campaignsAnonymised++;
        // In the campaign's organisation's log too: its organisers see when their supporters' data went.
        await this.audit.record({
          actor: 'system',
          action: 'retention.run',
          campaignId,
          details: { signaturesAnonymised: done.changed, lettersCancelled: done.lettersCancelled },
        });
      }
    }
    const updateDeliveriesPurged = (await this.updates.purgeFinishedDeliveries(p.UPDATE_DELIVERY_RETENTION_DAYS, batch)).deliveries;
    return { unconfirmedDeleted: unconfirmed.changed, emailsPurged, campaignsAnonymised, signaturesAnonymised, lettersCancelled, updateDeliveriesPurged };
  }
}

type RetentionSettings = Pick<RetentionReport, 'pendingRetentionDays' | 'mailRetentionDays' | 'signatureRetentionDaysAfterClose' | 'updateDeliveryRetentionDays'>;

/**
 * Runs batches in id order until one sees fewer rows than `size` (done: `complete`) or answers
 * null (the rule no longer applies: not complete). Sums what they changed.
 */
export async function walk(
  size: number,
  next: (after: string | null) => Promise<RetentionBatch | null>,
): Promise<{ changed: number; lettersCancelled: number; complete: boolean }> {
  const total = { changed: 0, lettersCancelled: 0, complete: false };
  for (let after: string | null = null; ; ) {
    const b = await next(after);
    if (!b) return total;
    total.changed += b.changed;
    total.lettersCancelled += b.lettersCancelled;
    if (b.seen < size || b.last === null) return { ...total, complete: true };
    after = b.last;
  }
}
