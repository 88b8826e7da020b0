import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue, UnrecoverableError } from 'bullmq';
import { whileLeased } from '../../common/lease';
import type { Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import { retryInPlace } from '../../common/retry-in-place';
import { safeError } from '../../common/safe-error';
import { appSecret, Environment, publicLink } from '../../config/environment';
import { MailRenderer, RenderedMail } from '../../infra/mail/mail-renderer';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { createProducerQueue, mailDomain, sendJobs } from '../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import { caseStatusLabel } from './case-status-labels';
import { DeliveryToSend, UpdateDeliveriesRepository } from './update-deliveries.repository';
import { UpdatesRepository } from './updates.repository';
import { deliveryIdFromBounceAddress, tokenFromUnsubscribeAddress, UnsubscribeTokens } from './unsubscribe-token';

export interface UpdateFanOutJobData {
  updateId: string;
}

export interface UpdateSendJobData {
  deliveryId: string;
}

/** What an inbound message to one of the update addresses said (the bounce listener reads it). */
export interface InboundReport {
  kind: 'auto-reply' | 'permanent' | 'temporary' | 'unknown';
  status?: string;
}

/**
 * The batch emails of notified updates. PostgreSQL holds all the state: the fan-out writes one
 * delivery row per recipient in chunks (keyset cursor on the update, so it resumes after a crash);
 * the dispatcher (a loop in every worker) keeps a window of send jobs in the queue and re-enqueues
 * what Redis or a dead worker lost; senders claim each row under a lease (SEND_LEASE_SECONDS) and
 * send at BROADCAST_RATE_PER_SECOND, BullMQ's rate limiter shared by every worker. A row's id is its
 * job id and its Message-ID: the one message in flight when a worker dies is sent again with the
 * same Message-ID, never another.
 */
@Injectable()
export class UpdateSendService implements OnModuleDestroy {
  private readonly logger = new Logger(UpdateSendService.name);
  private fanOutProducer?: Queue<UpdateFanOutJobData>;
  private sendProducer?: Queue<UpdateSendJobData>;
  private readonly domain: string;
  readonly tokens: UnsubscribeTokens;
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly deliveries: UpdateDeliveriesRepository,
    private readonly updates: UpdatesRepository,
    private readonly renderer: MailRenderer,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
  ) {
    this.domain = mailDomain(env);
    this.tokens = new UnsubscribeTokens(appSecret(env));
  }

  async onModuleDestroy(): Promise<void> {
    await this.fanOutProducer?.close().catch(() => undefined);
    await this.sendProducer?.close().catch(() => undefined);
  }

  private get fanOutQueue(): Queue<UpdateFanOutJobData> {
    return (this.fanOutProducer ??= createProducerQueue<UpdateFanOutJobData>(QueueName.UpdateFanOut, this.env));
  }

  private get sendQueue(): Queue<UpdateSendJobData> {
    return (this.sendProducer ??= createProducerQueue<UpdateSendJobData>(QueueName.UpdateSend, this.env));
  }

  /** The window of send jobs the dispatcher keeps in the queue: UPDATE_QUEUE_WINDOW, else ten seconds' worth (at most 2,000). */
  private get window(): number {
    return this.env.UPDATE_QUEUE_WINDOW || Math.min(this.env.BROADCAST_RATE_PER_SECOND * 10, 2000);
  }

  // ── fan-out ───────────────────────────────────────────────────────────────

  /** Right after a notified update committed: its fan-out job. Never throws: the dispatcher's relay is the safety net. */
  async startFanOut(updateId: string): Promise<void> {
    try {
      await this.fanOutQueue.add(JobName.UpdateFanOut, { updateId }, this.fanOutJobOptions(updateId));
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name }, updateId }, 'Fan-out not enqueued (Redis?); the dispatcher will');
    }
  }

  private fanOutJobOptions(updateId: string) {
    return {
      jobId: `fanout-${updateId}`,
      attempts: this.env.MAIL_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.env.MAIL_BACKOFF_MS, jitter: 0.5 },
      removeOnComplete: true,
      removeOnFail: true,
    };
  }

  /**
   * The fan-out job: under the update's fan-out lease, writes its delivery rows chunk by chunk
   * (UPDATE_FANOUT_CHUNK), each chunk in one transaction with the cursor's move. Returns how many
   * rows it wrote ('skipped' when another holder has it or it is done).
   */
  async fanOut(updateId: string): Promise<number | 'skipped'> {
    const lease = this.env.SEND_LEASE_SECONDS;
    let at = await this.deliveries.claimFanOut(updateId, lease);
    if (!at) return 'skipped';
    const started = Date.now();
    let total = 0;
    for (;;) {
      const chunk = await this.deliveries.fanOutChunk(updateId, at, this.env.UPDATE_FANOUT_CHUNK, lease);
      if (!chunk) break;
      total += chunk.written;
      if (chunk.done) break;
      at = { ...at, cursor: chunk.cursor };
    }
    this.logger.log({ updateId, written: total, ms: Date.now() - started }, 'Update fanned out');
    return total;
  }

  // ── dispatch ──────────────────────────────────────────────────────────────

  /**
   * One dispatcher pass (every UPDATE_DISPATCH_INTERVAL_MS in each worker; SKIP LOCKED lets them
   * share): cancels what cancelled sends left, re-enqueues lost fan-outs, tops the send queue up to
   * its window with pending deliveries (and those whose job or sender was lost), marks finished
   * sends done. Returns how many deliveries it enqueued.
   */
  async dispatch(): Promise<number> {
    const requeue = this.env.UPDATE_REQUEUE_AFTER_SECONDS;
    await this.deliveries.cancelPending();
    const fanOuts = await this.deliveries.takeFanOutsForRelay(requeue);
    if (fanOuts.length) {
      await this.fanOutQueue.addBulk(fanOuts.map((updateId) => ({ name: JobName.UpdateFanOut, data: { updateId }, opts: this.fanOutJobOptions(updateId) })));
    }
    const waiting = await this.sendQueue.getJobCountByTypes('wait', 'delayed', 'prioritized');
    const ids = await this.deliveries.takeForDispatch(this.window - waiting, requeue);
    if (ids.length) {
      try {
        await this.sendQueue.addBulk(sendJobs(JobName.UpdateSend, ids, (deliveryId) => ({ deliveryId }), this.env));
      } catch (error) {
        await this.deliveries.markNotEnqueued(ids);
        throw error;
      }
    }
    const done = await this.deliveries.finishDone();
    if (done.length) this.logger.log({ updates: done }, 'Update sends done');
    return ids.length;
  }

  /** A paused send resumed: its pending deliveries go back to the dispatcher at once. */
  async resumed(updateId: string): Promise<void> {
    await this.deliveries.markUpdateNotEnqueued(updateId);
  }

  /** A send cancelled: its pending deliveries nobody holds are cancelled now (the dispatcher does the rest). */
  async cancelled(updateId: string): Promise<void> {
    await this.deliveries.cancelPending(updateId);
  }

  // ── sending ───────────────────────────────────────────────────────────────

  /**
   * Sends one delivery under its lease. A temporary failure is recorded and thrown (the job's
   * retry); a permanent one (5xx) fails it and suppresses the address for updates. Once the SMTP
   * server accepted the message, marking it sent is retried in place, never by re-running the job.
   */
  async send(id: string): Promise<'sent' | 'skipped'> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const delivery = await this.deliveries.claim(id, lease);
    if (!delivery) return 'skipped';
    return whileLeased(lease, () => this.deliveries.renewLease(id, lease), () => this.deliver(delivery));
  }

  /** The unsubscribe link of a signature's update emails (a page; its POST is the RFC 8058 one-click). */
  unsubscribeUrl(signatureId: string): string {
    return publicLink(this.env, `/u/${this.tokens.forSignature(signatureId)}`);
  }

  private async deliver(d: DeliveryToSend): Promise<'sent'> {
    const id = d.id;
    const messageId = `<update-${id}@${this.domain}>`;
    // The link names the sending organisation: an unsubscribe stops its updates, not the other organisations'.
    const token = this.tokens.forSignature(d.signatureId, d.campaign.organisationId);
    const unsubscribeUrl = publicLink(this.env, `/u/${token}`);
    try {
      const rendered = this.render(d, unsubscribeUrl);
      await this.transport.sendMail({
        from: this.env.MAIL_FROM,
        to: d.supporter.email,
        envelope: { from: `bounce+u-${id}@${this.domain}`, to: d.supporter.email },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: {
          'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:unsubscribe+${token}@${this.domain}?subject=unsubscribe>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
          'X-Nida-Update': id,
        },
      });
    } catch (error) {
      const failure = error instanceof UnrecoverableError ? { permanent: true, summary: error.message } : classifySmtpError(error);
      const final = failure.permanent || d.attempts >= this.env.MAIL_MAX_ATTEMPTS;
      await this.deliveries.recordError(id, failure.summary, final);
      if (failure.permanent && !(error instanceof UnrecoverableError)) {
        await this.updates.optOut(d.emailHash, 'suppressed', d.campaign.organisationId, failure.summary);
      }
      this.logger.warn({ deliveryId: id, attempt: d.attempts, failure: failure.summary, final }, 'Update email not sent');
      if (final) throw new UnrecoverableError(failure.summary);
      throw new Error(failure.summary);
    }
    await retryInPlace(() => this.deliveries.markSent(id, messageId), {
      budgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRetry: (error, n) => this.logger.warn({ deliveryId: id, err: safeError(error), try: n }, 'Sent update not yet recorded; retrying'),
    });
    return 'sent';
  }

  /** The email in the supporter's language when the update has it, else in the update's own (the campaign's). */
  private render(d: DeliveryToSend, unsubscribeUrl: string): RenderedMail {
    const u = d.update;
    const wanted = d.supporter.locale;
    const locale: Locale = wanted === u.locale || u.translations[wanted] ? wanted : u.locale;
    const text = locale === u.locale ? u : u.translations[locale]!;
    const campaignTitle = locale === d.campaign.locale ? d.campaign.title : (d.campaign.translations[locale]?.title ?? d.campaign.title);
    return this.renderer.render('case-update', locale, {
      supporter: { name: d.supporter.name },
      campaign: { title: campaignTitle, organisation: d.campaign.organisation },
      update: {
        title: text.title,
        paragraphs: text.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
        date: this.date(u.createdAt, locale, d.campaign.timeZone ?? this.env.PAGE_TIME_ZONE),
        status: caseStatusLabel(u.caseStatus, locale),
      },
      campaignUrl: publicLink(this.env, `/${locale}/c/${encodeURIComponent(d.campaign.slug)}`),
      unsubscribeUrl,
    });
  }

  /** A day in the campaign's zone, in the language's digits. */
  date(at: Date, locale: Locale, zone: string): string {
    const key = `${locale}|${zone}`;
    let format = this.dates.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: zone });
      if (this.dates.size < 1000) this.dates.set(key, format);
    }
    return format.format(at);
  }

  // ── inbound: delivery reports and mailto unsubscribes ──────────────────────

  /** Whether an inbound address is one of the updates' (a delivery's bounce address or a mailto unsubscribe). */
  acceptsInbound(address: string): boolean {
    return deliveryIdFromBounceAddress(address) !== null || tokenFromUnsubscribeAddress(address) !== null;
  }

  /**
   * A message received for update addresses: a permanent delivery report to a delivery's bounce
   * address fails that delivery and suppresses its address for updates; any message to a mailto
   * unsubscribe address unsubscribes (RFC 2369), for that campaign.
   */
  async handleInbound(recipients: string[], report: InboundReport): Promise<void> {
    for (const address of recipients) {
      const deliveryId = deliveryIdFromBounceAddress(address);
      if (deliveryId && report.kind === 'permanent') {
        const bounced = await this.deliveries.markBounced(deliveryId, report.status ?? '5.0.0');
        if (bounced) await this.updates.optOut(bounced.emailHash, 'suppressed', bounced.organisationId, `bounce ${report.status ?? ''}`.trim());
        this.logger.log({ deliveryId, status: report.status, suppressed: !!bounced }, 'Update email bounced');
      }
      const token = tokenFromUnsubscribeAddress(address);
      const link = token ? this.tokens.read(token) : null;
      if (link) {
        const subject = await this.updates.unsubscribeSubject(link.signatureId, link.organisationId);
        if (subject?.emailHash) await this.updates.optOutOfCampaign(subject.emailHash, subject.campaignId, subject.organisationId, 'mailto');
      }
    }
  }
}
