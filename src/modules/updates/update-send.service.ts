import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { whileLeased } from '../../common/lease';
import type { Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import { safeError } from '../../common/safe-error';
import { appSecret, Environment, publicLink } from '../../config/environment';
import { BatchSender } from '../../infra/mail/batch-sender';
import { MailRenderer, PreparedMail } from '../../infra/mail/mail-renderer';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { createProducerQueue, mailDomain } from '../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import { caseStatusLabel } from './case-status-labels';
import { ClaimedDelivery, UpdateDeliveriesRepository, UpdateToSend } from './update-deliveries.repository';
import { UpdatesRepository } from './updates.repository';
import { deliveryIdFromBounceAddress, tokenFromUnsubscribeAddress, UnsubscribeTokens } from './unsubscribe-token';

export interface UpdateFanOutJobData {
  updateId: string;
}

/** A send job: claim one batch of pending deliveries and send it (no data: any send in progress). */
export type UpdateSendJobData = Record<string, never>;

/** How update emails are cut into jobs: `batch` emails a job at most, and the queue's rate limiter (jobs per `duration` ms) that makes BROADCAST_RATE_PER_SECOND emails a second. */
export interface SendPlan {
  batch: number;
  limiter: { max: number; duration: number };
}

/** The per-recipient values of an update email. */
type Hole = 'name' | 'unsubscribeUrl';

/** The update emails rendered for one version of an update: one prepared email per language. */
interface PreparedUpdate {
  version: string;
  byLocale: Partial<Record<Locale, PreparedMail<Hole>>>;
}

/** Updates whose prepared emails a worker keeps (the sends in progress: few). */
const PREPARED_UPDATES = 32;

/** What an inbound message to one of the update addresses said (the bounce listener reads it). */
export interface InboundReport {
  kind: 'auto-reply' | 'permanent' | 'temporary' | 'unknown';
  status?: string;
}

/**
 * The batch emails of notified updates. PostgreSQL holds all the state: the fan-out writes one
 * delivery row per recipient in chunks (keyset cursor on the update, so it resumes after a crash).
 * Send jobs carry no row: each claims a batch of pending deliveries (UPDATE_SEND_BATCH at most, a
 * tenth of a second's worth at BROADCAST_RATE_PER_SECOND when that is fewer) under one lease
 * (SEND_LEASE_SECONDS, a token only its holder renews or gives back; SKIP LOCKED, so two senders
 * never hold one row), renders the update once per language, sends through the pooled transport
 * with BROADCAST_CONCURRENCY in flight, and records what the server accepted a few at a time. The
 * queue's rate limiter, shared by every worker through Redis, admits batch jobs at the pace that
 * makes BROADCAST_RATE_PER_SECOND emails. The dispatcher (a loop in every worker) keeps batch jobs
 * waiting while deliveries wait, so a flushed Redis or a dead worker only delays them; a full
 * batch adds the next job itself. A row's id is in its Message-ID: a message accepted but not yet
 * recorded when a worker dies is sent again after its lease with the same Message-ID, and nothing
 * else is sent twice.
 */
@Injectable()
export class UpdateSendService implements OnModuleDestroy {
  private readonly logger = new Logger(UpdateSendService.name);
  private fanOutProducer?: Queue<UpdateFanOutJobData>;
  private sendProducer?: Queue<UpdateSendJobData>;
  private readonly domain: string;
  readonly tokens: UnsubscribeTokens;
  readonly plan: SendPlan;
  private readonly dates = new Map<string, Intl.DateTimeFormat>();
  private readonly prepared = new Map<string, PreparedUpdate>();
  private readonly unsubscribeBase: string;
  private sender?: BatchSender;

  constructor(
    private readonly deliveries: UpdateDeliveriesRepository,
    private readonly updates: UpdatesRepository,
    private readonly renderer: MailRenderer,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
    private readonly metrics: MetricsService,
  ) {
    this.domain = mailDomain(env);
    this.tokens = new UnsubscribeTokens(appSecret(env));
    this.plan = sendPlan(env.BROADCAST_RATE_PER_SECOND, env.UPDATE_SEND_BATCH);
    this.unsubscribeBase = publicLink(env, '/u/');
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

  /** The batch jobs the dispatcher keeps waiting in the queue: UPDATE_QUEUE_WINDOW emails' worth, else ten seconds' (at most 2,000 emails). */
  private get windowJobs(): number {
    const emails = this.env.UPDATE_QUEUE_WINDOW || Math.min(this.env.BROADCAST_RATE_PER_SECOND * 10, 2000);
    return Math.max(1, Math.ceil(emails / this.plan.batch));
  }

  /** The in-process sender (one per worker: its in-flight limit spans every batch it runs). */
  private get batches(): BatchSender {
    return (this.sender ??= new BatchSender({
      inFlight: this.env.BROADCAST_CONCURRENCY,
      recordBudgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRecordRetry: (error, n) => this.logger.warn({ err: safeError(error), try: n }, 'Sent update emails not yet recorded; retrying'),
    }));
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
      // Its recipients can be sent to at once: batch jobs now rather than at the dispatcher's next pass.
      if (chunk.written) await this.topUp().catch((error: unknown) => this.logger.warn({ err: safeError(error), updateId }, 'Send jobs not added (Redis?); the dispatcher will'));
      if (chunk.done) break;
      at = { ...at, cursor: chunk.cursor };
    }
    this.logger.log({ updateId, written: total, ms: Date.now() - started }, 'Update fanned out');
    return total;
  }

  // ── dispatch ──────────────────────────────────────────────────────────────

  /**
   * One dispatcher pass (every UPDATE_DISPATCH_INTERVAL_MS in each worker; SKIP LOCKED lets them
   * share): cancels what cancelled sends left, re-enqueues lost fan-outs, tops the send queue up
   * with batch jobs for the deliveries waiting (those a dead sender held come back when its lease
   * runs out), marks finished sends done. Returns how many batch jobs it added.
   */
  async dispatch(): Promise<number> {
    const requeue = this.env.UPDATE_REQUEUE_AFTER_SECONDS;
    await this.deliveries.cancelPending();
    const fanOuts = await this.deliveries.takeFanOutsForRelay(requeue);
    if (fanOuts.length) {
      await this.fanOutQueue.addBulk(fanOuts.map((updateId) => ({ name: JobName.UpdateFanOut, data: { updateId }, opts: this.fanOutJobOptions(updateId) })));
    }
    const added = await this.topUp();
    const done = await this.deliveries.finishDone();
    if (done.length) this.logger.log({ updates: done }, 'Update sends done');
    return added;
  }

  /** Adds batch jobs so that those waiting cover the claimable deliveries (up to the window). Returns how many it added. */
  private async topUp(): Promise<number> {
    const window = this.windowJobs;
    const waiting = await this.sendQueue.getJobCountByTypes('wait', 'delayed', 'prioritized');
    if (waiting >= window) return 0;
    const claimable = await this.deliveries.countClaimable(window * this.plan.batch);
    const wanted = Math.min(Math.ceil(claimable / this.plan.batch), window) - waiting;
    if (wanted > 0) await this.addSendJobs(wanted);
    return Math.max(0, wanted);
  }

  private async addSendJobs(n: number): Promise<void> {
    const opts = { removeOnComplete: true, removeOnFail: true };
    await this.sendQueue.addBulk(Array.from({ length: n }, () => ({ name: JobName.UpdateSendBatch, data: {} as UpdateSendJobData, opts })));
  }

  /** A paused send resumed: batch jobs for it at once (never throws: the dispatcher does it otherwise). */
  async resumed(updateId: string): Promise<void> {
    try {
      await this.topUp();
    } catch (error) {
      this.logger.warn({ err: safeError(error), updateId }, 'Send jobs not added on resume (Redis?); the dispatcher will');
    }
  }

  /** A send cancelled: its pending deliveries nobody holds are cancelled now (the dispatcher does the rest). */
  async cancelled(updateId: string): Promise<void> {
    await this.deliveries.cancelPending(updateId);
  }

  // ── sending ───────────────────────────────────────────────────────────────

  /**
   * One send job: claims a batch of pending deliveries under one lease and sends it. Deliveries of
   * a send paused or cancelled meanwhile are given back unsent (checked after the claim and about
   * every second while sending). A temporary failure is recorded and the delivery retried later
   * (MAIL_BACKOFF_MS, doubling); a permanent one (5xx) fails it and suppresses the address for
   * updates. What the server accepted is recorded sent with retry-in-place, never by sending again.
   * A full batch adds the next job (there may be more), so sending does not wait for the dispatcher.
   */
  async sendBatch(): Promise<{ claimed: number; sent: number; failed: number; released: number }> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const token = randomUUID();
    const claimed = await this.deliveries.claimBatch(this.plan.batch, lease, token);
    if (!claimed.length) return { claimed: 0, sent: 0, failed: 0, released: 0 };
    if (claimed.length === this.plan.batch) {
      await this.addSendJobs(1).catch((error: unknown) => this.logger.warn({ err: safeError(error) }, 'Next send job not added (Redis?); the dispatcher will'));
    }
    const updates = await this.deliveries.updatesToSend([...new Set(claimed.map((d) => d.updateId))]);
    const sending = claimed.filter((d) => updates.get(d.updateId)?.sendState === 'sending');
    const ids = sending.map((d) => d.id);
    const updateIds = [...new Set(sending.map((d) => d.updateId))];
    const result = sending.length
      ? await whileLeased(
          lease,
          () => this.deliveries.renewBatch(ids, token, lease),
          () =>
            this.batches.run(sending, {
              send: (d) => this.deliver(d, updates.get(d.updateId)!),
              recordSent: (group) => this.deliveries.markSent(group.map((d) => d.id), this.domain),
              recordFailure: (d, error) => this.recordFailure(d, error),
              stillWanted: () => this.deliveries.stillSending(updateIds),
            }),
        )
      : { sent: 0, failed: 0, unsent: [] };
    if (result.sent) this.metrics.updateEmailSend('sent', result.sent);
    const unsent = [...claimed.filter((d) => updates.get(d.updateId)?.sendState !== 'sending'), ...result.unsent];
    await this.deliveries.releaseBatch(unsent.map((d) => d.id), token);
    return { claimed: claimed.length, sent: result.sent, failed: result.failed, released: unsent.length };
  }

  /** The unsubscribe link of a signature's update emails (a page; its POST is the RFC 8058 one-click). */
  unsubscribeUrl(signatureId: string): string {
    return publicLink(this.env, `/u/${this.tokens.forSignature(signatureId)}`);
  }

  /** Hands one email to SMTP; resolves once the server accepted it. */
  private async deliver(d: ClaimedDelivery, update: UpdateToSend): Promise<void> {
    const id = d.id;
    // The link names the sending organisation: an unsubscribe stops its updates, not the other organisations'.
    const token = this.tokens.forSignature(d.signatureId, d.organisationId);
    const unsubscribeUrl = this.unsubscribeBase + token;
    const mail = this.preparedFor(update, d.supporter.locale).fill({ name: d.supporter.name, unsubscribeUrl });
    await this.transport.sendMail({
      from: this.env.MAIL_FROM,
      to: d.supporter.email,
      envelope: { from: `bounce+u-${id}@${this.domain}`, to: d.supporter.email },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<update-${id}@${this.domain}>`,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:unsubscribe+${token}@${this.domain}?subject=unsubscribe>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
        'X-Nida-Update': id,
      },
    });
  }

  /** A delivery not sent: retried later, or failed (and, on a 5xx, its address suppressed for updates). */
  private async recordFailure(d: ClaimedDelivery, error: unknown): Promise<void> {
    const failure = classifySmtpError(error);
    const final = failure.permanent || d.attempts >= this.env.MAIL_MAX_ATTEMPTS;
    const backoff = this.env.MAIL_BACKOFF_MS * 2 ** Math.min(d.attempts - 1, 20) * (0.5 + Math.random() / 2);
    await this.deliveries.recordError(d.id, failure.summary, final, Math.min(backoff, 3_600_000));
    this.metrics.updateEmailSend(final ? 'failed' : 'retried');
    if (failure.permanent) await this.updates.optOut(d.emailHash, 'suppressed', d.organisationId, failure.summary);
    this.logger.warn({ deliveryId: d.id, attempt: d.attempts, failure: failure.summary, final, err: failure.summary === 'unknown error' ? safeError(error) : undefined }, 'Update email not sent');
  }

  /**
   * The update's email in a supporter's language — theirs when the update has it, else the
   * update's own (the campaign's) — rendered once per update version and language; a recipient
   * adds only their name and unsubscribe link.
   */
  private preparedFor(u: UpdateToSend, wanted: Locale): PreparedMail<Hole> {
    const locale: Locale = wanted === u.locale || u.translations[wanted] ? wanted : u.locale;
    const version = JSON.stringify([u.title, u.body, u.translations, u.caseStatus, u.createdAt, u.campaign]);
    let entry = this.prepared.get(u.id);
    if (entry?.version !== version) {
      this.prepared.delete(u.id);
      if (this.prepared.size >= PREPARED_UPDATES) this.prepared.delete(this.prepared.keys().next().value!);
      entry = { version, byLocale: {} };
      this.prepared.set(u.id, entry);
    }
    return (entry.byLocale[locale] ??= this.prepare(u, locale));
  }

  private prepare(u: UpdateToSend, locale: Locale): PreparedMail<Hole> {
    const text = locale === u.locale ? u : u.translations[locale]!;
    const c = u.campaign;
    const campaignTitle = locale === c.locale ? c.title : (c.translations[locale]?.title ?? c.title);
    return this.renderer.prepare<Hole>('case-update', locale, (hole) => ({
      supporter: { name: hole('name') },
      campaign: { title: campaignTitle, organisation: c.organisation },
      update: {
        title: text.title,
        paragraphs: text.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
        date: this.date(u.createdAt, locale, c.timeZone ?? this.env.PAGE_TIME_ZONE),
        status: caseStatusLabel(u.caseStatus, locale),
      },
      campaignUrl: publicLink(this.env, `/${locale}/c/${encodeURIComponent(c.slug)}`),
      unsubscribeUrl: hole('unsubscribeUrl'),
    }));
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

/**
 * Batch size and limiter for a rate of `rate` emails a second: batches of a tenth of a second's
 * worth (at least 1, at most `maxBatch`), admitted `max` per `duration` ms so that max × batch
 * emails take at least a second's share of the rate (never faster than `rate`).
 */
export function sendPlan(rate: number, maxBatch: number): SendPlan {
  const batch = Math.max(1, Math.min(maxBatch, Math.ceil(rate / 10)));
  const max = Math.ceil(rate / batch);
  return { batch, limiter: { max, duration: Math.ceil((1000 * max * batch) / rate) } };
}
