import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { Queue, UnrecoverableError } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { batchSendJobs, createProducerQueue, mailDomain, oldestWaitingJobAt, retryBatch, sendBackoffMs, type SendRetry } from '../../infra/queue/producer-queue';
import { BatchSender } from '../../infra/mail/batch-sender';
import { appSecret, Environment, publicLink } from '../../config/environment';
import { MailRenderer, RenderedMail } from '../../infra/mail/mail-renderer';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { tokenFromSeed } from '../../common/confirmation-token';
import type { NewMail } from './dto/new-mail.dto';
import type { NewOrganiserMail } from './dto/new-organiser-mail.dto';
import type { PrivacyMailKind } from './mail-outbox.entity';
import { MailOutboxRepository, MailToSend, OrganiserMailToSend, PrivacyMailToSend, SignatureMailToSend } from './mail-outbox.repository';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { retryInPlace } from '../../common/retry-in-place';
import { whileLeased } from '../../common/lease';
import { safeError } from '../../common/safe-error';

/** A job of the retired kind: one outbox row (a worker still takes one). */
export interface MailJobData {
  outboxId: string;
}

/** A batch job: the outbox rows it may send (only where to look: each is claimed before it is sent). */
export interface MailBatchJobData {
  outboxIds: string[];
}

/** What one batch job did with its rows. */
export interface MailBatchResult {
  /** Rows this job claimed (the others were sent, failed, erased or held by another sender). */
  claimed: number;
  sent: number;
  /** Attempts that failed: retried later (a delayed job) or, when permanent or the last, failed for good. */
  failed: number;
}

/** Outbox rows a batch job carries at most. */
export const MAIL_JOB_BATCH = 50;

/**
 * The outbox: rows written with the change that causes an email, handed to BullMQ after commit in
 * batch jobs (the ids that committed while the previous add was in flight go together; a job's id
 * is made of its rows' ids) and again by the relay if a job was never enqueued or was lost with
 * Redis. Sending takes a lease on each row (SEND_LEASE_SECONDS): a repeated job, a stalled job
 * retaken by another worker or a relay's re-enqueue finds the row held or no longer pending and
 * sends nothing.
 */
@Injectable()
export class MailOutboxService implements OnModuleDestroy {
  private readonly logger = new Logger(MailOutboxService.name);
  /** Fails fast while Redis is away: the relay catches up. Made on first use. */
  private producer?: Queue<MailBatchJobData>;
  private readonly mailDomain: string;
  /** The in-process sender: its in-flight limit spans every batch this worker runs. Made on first use. */
  private sender?: BatchSender;
  /** The ids to add once the add in flight ends (natural batching), and that add's promise. */
  private waiting: { ids: string[]; added: Promise<void> } | null = null;
  private adding: Promise<void> = Promise.resolve();

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly renderer: MailRenderer,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
    private readonly metrics: MetricsService,
  ) {
    this.mailDomain = mailDomain(env);
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer?.close().catch(() => undefined);
  }

  private get queue(): Queue<MailBatchJobData> {
    return (this.producer ??= createProducerQueue<MailBatchJobData>(QueueName.Mail, this.env));
  }

  private jobs(ids: readonly string[], options: { key?: string; delayMs?: number } = {}) {
    return batchSendJobs(JobName.MailSendBatch, 'outboxIds', ids, MAIL_JOB_BATCH, this.env, options);
  }

  /**
   * Twice MAIL_CONCURRENCY in flight: each of the pool's connections has its next email rendered
   * and waiting when it finishes one, so the pool stays full.
   */
  private get batches(): BatchSender {
    return (this.sender ??= new BatchSender({
      inFlight: this.env.MAIL_CONCURRENCY * 2,
      recordBudgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRecordRetry: (error, n) => this.logger.warn({ err: safeError(error), try: n }, 'Sent mail not yet recorded; retrying'),
    }));
  }

  /**
   * Adds an email to the outbox in the caller's transaction, so it commits (or not) with the change
   * that causes it. Returns its id, for `enqueue` once that transaction committed.
   */
  add(m: EntityManager, mail: NewMail): Promise<string> {
    return this.outbox.insert(m, mail);
  }

  /**
   * Adds an email to an organiser (an admin's alert) in the caller's transaction, sent like any
   * other: leased, retried, never twice. Returns its id, for `enqueue` once that transaction committed.
   */
  addForOrganiser(m: EntityManager, mail: NewOrganiserMail): Promise<string> {
    return this.outbox.insertForOrganiser(m, mail);
  }

  /**
   * The SQL of that insert for a statement another module composes when one round trip matters
   * (signing): a CTE `name` queueing a confirmation for each row (`id`, `token_seed`) of the CTE
   * `signatures`, returning `id` and `signature_id`. The mail module keeps the only SQL that writes
   * its table; the caller enqueues the returned ids after commit, as with `add`.
   */
  confirmationCte(name: string, signatures: string): string {
    return this.outbox.confirmationCte(name, signatures);
  }

  /**
   * The SQL that queues a privacy request's email, for the request's one statement (see
   * confirmationCte): a CTE `name` queueing an email of `kind` for each row of the CTE `requests`,
   * with the erasure token's seed in parameter `tokenSeed` (null for an access report). Sent to the
   * address the supporter signed with, in the request's language; an access report is written from
   * their signatures when it is sent (never stored).
   */
  privacyRequestCte(name: string, requests: string, kind: PrivacyMailKind, tokenSeed: string): string {
    return this.outbox.privacyRequestCte(name, requests, kind, tokenSeed);
  }

  /**
   * In the caller's transaction (anonymising or erasing signatures): deletes the unsent emails
   * about these signatures. Returns how many.
   */
  deleteUnsentForSignatures(m: EntityManager, signatureIds: string[]): Promise<number> {
    if (!signatureIds.length) return Promise.resolve(0);
    return this.outbox.deleteUnsentForSignatures(m, signatureIds);
  }

  /** Retention (MAIL_RETENTION_DAYS = `days`): how many sent or failed emails are older than that (a dry run). */
  countFinished(days: number): Promise<number> {
    return this.outbox.countFinished(days);
  }

  /**
   * Retention: deletes up to `limit` sent or failed emails older than `days` — their rows, with
   * their data and the link to their recipient. Returns how many (fewer than `limit`: done).
   */
  purgeFinished(days: number, limit: number): Promise<number> {
    return this.outbox.purgeFinished(days, limit);
  }

  /**
   * Hands rows to the queue right after their transaction committed; resolves once they were
   * added (or given to the relay). One add is in flight at a time: the rows of every request that
   * committed meanwhile go in the next one, as batch jobs (a signing crowd's confirmations travel
   * together, a lone signature's at once). Never throws: the relay is the safety net.
   */
  enqueue(ids: string[]): Promise<void> {
    if (!ids.length) return Promise.resolve();
    if (!this.waiting) {
      const next: { ids: string[]; added: Promise<void> } = { ids: [], added: Promise.resolve() };
      next.added = this.adding.then(() => {
        this.waiting = null;
        return this.addJobs(next.ids);
      });
      this.waiting = next;
      this.adding = next.added;
    }
    this.waiting.ids.push(...ids);
    return this.waiting.added;
  }

  private async addJobs(ids: string[]): Promise<void> {
    try {
      await this.queue.addBulk(this.jobs(ids));
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name }, count: ids.length }, 'Mail not enqueued (Redis?); the relay will');
      await this.outbox.markNotEnqueued(ids).catch(() => undefined);
    }
  }

  /**
   * One relay pass: enqueues pending rows never enqueued or whose job may be lost (enqueued
   * MAIL_REQUEUE_AFTER_SECONDS before now and before the oldest job still waiting: see
   * oldestWaitingJobAt). Returns how many.
   */
  async relay(limit = 500): Promise<number> {
    const ids = await this.outbox.takeForRelay(this.env.MAIL_REQUEUE_AFTER_SECONDS, limit, await oldestWaitingJobAt(this.queue));
    if (ids.length) {
      try {
        await this.queue.addBulk(this.jobs(ids));
      } catch (error) {
        // Redis is away: give the rows back so the next pass tries again at once.
        await this.outbox.markNotEnqueued(ids);
        throw error;
      }
    }
    return ids.length;
  }

  /**
   * Sends one outbox email under its lease. Throws to have BullMQ retry a temporary failure (the
   * lease is given back first); throws UnrecoverableError once the row is failed. Once the SMTP
   * server accepted the message, marking it sent is retried in place, never by re-running the job.
   * The only duplicate left is a process dying between the SMTP server accepting and that UPDATE
   * (or the database staying away for the whole lease): the same Message-ID lets receivers drop it.
   */
  async send(id: string): Promise<'sent' | 'skipped'> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const mail = await this.outbox.claim(id, lease);
    if (!mail) return 'skipped';
    return whileLeased(lease, () => this.outbox.renewLease(id, lease), () => this.deliver(mail));
  }

  private async deliver(mail: MailToSend): Promise<'sent'> {
    const id = mail.id;
    const attempt = mail.attempts;

    const messageId = this.messageIdOf(id);
    try {
      // Rendered inside the try: a row that cannot be rendered is recorded like a refused one.
      await this.transport.sendMail(this.message(mail));
    } catch (error) {
      const failure = classifySmtpError(error);
      const final = failure.permanent || attempt >= this.env.MAIL_MAX_ATTEMPTS;
      await this.outbox.recordError(id, failure.summary, final);
      this.metrics.mailSend(final ? 'failed' : 'retried');
      this.logger.warn({ outboxId: id, attempt, failure: failure.summary, final }, 'Mail not sent');
      if (final) throw new UnrecoverableError(failure.summary);
      throw new Error(failure.summary);
    }
    await retryInPlace(() => this.outbox.markSent(id, messageId), {
      budgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRetry: (error, n) => this.logger.warn({ outboxId: id, err: safeError(error), try: n }, 'Sent mail not yet recorded; retrying'),
    });
    this.metrics.mailSend('sent');
    return 'sent';
  }

  /**
   * A batch job: claims the pending rows among `ids` whose lease is free (one statement, one lease
   * each: MailOutboxRepository.claimBatch), sends them through the pooled transport with at most
   * twice MAIL_CONCURRENCY in flight in this process (BatchSender), and records those the server
   * accepted a group at a time (one statement each), each with its own Message-ID. A failed email
   * is recorded on its own: a permanent failure (5xx, nothing to send) or the last attempt fails
   * it; a temporary one gives its lease back and is retried after a backoff by a delayed job of the
   * batch's failed rows. The job throws only when PostgreSQL is away; what it claimed waits for its
   * lease. A worker killed mid-batch leaves its unsent rows leased: the relay enqueues them again
   * once the lease ran out and MAIL_REQUEUE_AFTER_SECONDS passed since their enqueueing; only an email in flight (or accepted, not yet recorded) is sent again,
   * with the same Message-ID.
   */
  async sendBatch(ids: string[]): Promise<MailBatchResult> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const mails = await this.outbox.claimBatch(ids, lease);
    if (!mails.length) return { claimed: 0, sent: 0, failed: 0 };
    const held = new Set(mails.map((m) => m.id));
    const retries: SendRetry[] = [];
    const result = await whileLeased(
      lease,
      () => this.outbox.renewBatch([...held], lease),
      () =>
        this.batches.run(mails, {
          send: async (mail) => {
            await this.transport.sendMail(this.message(mail));
          },
          recordSent: async (group) => {
            await this.outbox.markSentBatch(
              group.map((m) => m.id),
              this.mailDomain,
            );
            for (const m of group) held.delete(m.id);
            this.metrics.mailSend('sent', group.length);
          },
          recordFailure: async (mail, error) => {
            const failure = error instanceof UnrecoverableError ? { permanent: true, summary: error.message } : classifySmtpError(error);
            const final = failure.permanent || mail.attempts >= this.env.MAIL_MAX_ATTEMPTS;
            const backoff = final ? 0 : sendBackoffMs(this.env, mail.attempts);
            await this.outbox.recordError(mail.id, failure.summary, final, backoff);
            held.delete(mail.id);
            this.metrics.mailSend(final ? 'failed' : 'retried');
            this.logger.warn({ outboxId: mail.id, attempt: mail.attempts, failure: failure.summary, final }, 'Mail not sent');
            if (!final) retries.push({ id: mail.id, attempts: mail.attempts, backoffMs: backoff });
          },
        }),
    );
    if (retries.length) await this.enqueueRetries(retries);
    return { claimed: mails.length, sent: result.sent, failed: result.failed };
  }

  /**
   * One delayed job for a batch's rows to try again, after the longest of their backoffs. If Redis
   * is away, their enqueued_at is cleared: the relay's next pass enqueues them.
   */
  private async enqueueRetries(retries: SendRetry[]): Promise<void> {
    const { ids, options } = retryBatch(retries);
    try {
      await this.queue.addBulk(this.jobs(ids, options));
    } catch (error) {
      this.logger.warn({ err: safeError(error), count: ids.length }, 'Mail retries not enqueued (Redis?); the relay will');
      await this.outbox.markNotEnqueued(ids);
    }
  }

  /** A row's Message-ID: `<row id@domain>`, as markSentBatch records it. */
  private messageIdOf(id: string): string {
    return `<${id}@${this.mailDomain}>`;
  }

  /** The message for one row: rendered in its language, with its own Message-ID (`<row id@domain>`, as markSentBatch records). */
  private message(mail: MailToSend) {
    const rendered = this.render(mail);
    return {
      from: this.env.MAIL_FROM,
      to: recipientOf(mail),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: this.messageIdOf(mail.id),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Nida-Mail': mail.kind },
    };
  }

  private render(mail: MailToSend): RenderedMail {
    if ('organiser' in mail) return this.renderForOrganiser(mail);
    if ('supporter' in mail) return this.renderForSupporter(mail);
    return this.renderForSigner(mail);
  }

  /**
   * A privacy request's email, in the request's language: the erasure link (language-neutral: the
   * page opens in the request's language), or the access report, written now from the supporter's
   * signatures (campaign titles in that language where the campaign has it; dates in UTC, in the
   * language's digits; the page to erase everything).
   */
  private renderForSupporter(mail: PrivacyMailToSend): RenderedMail {
    const locale = mail.locale;
    if (mail.kind === 'privacy.erasure-link') {
      if (!mail.tokenSeed) throw new UnrecoverableError('erasure link without a token seed');
      const hours = this.env.PRIVACY_LINK_TTL_HOURS;
      return this.renderer.render('privacy-erasure-link', locale, {
        supporter: { name: mail.supporter.name },
        eraseUrl: publicLink(this.env, `/privacy/erase/${tokenFromSeed(appSecret(this.env), mail.tokenSeed)}`),
        // Said in days when it is whole days («لمدة ٣ أيام»), else in hours.
        ttl: { days: hours % 24 === 0 ? hours / 24 : 0, hours },
        privacyUrl: publicLink(this.env, `/${locale}/privacy`),
      });
    }
    return this.renderer.render('privacy-access-report', locale, {
      supporter: { name: mail.supporter.name },
      total: mail.report.length,
      signatures: mail.report.map((s) => ({
        campaign: { title: titleIn(s.campaign, locale), organisation: s.campaign.organisation },
        campaignUrl: publicLink(this.env, `/${locale}/c/${encodeURIComponent(s.campaign.slug)}`),
        status: { pending: s.status === 'pending', verified: s.status === 'verified', held: s.status === 'held', invalidated: s.status === 'invalidated' },
        signedAt: s.signedAt.toISOString(),
        confirmedAt: s.confirmedAt ? s.confirmedAt.toISOString() : null,
        name: s.name,
        country: s.country,
        city: s.city,
        comment: s.comment,
        showName: s.showName,
        contactConsent: s.contactConsent,
        replyConsent: s.replyConsent,
      })),
      optOuts: mail.optOuts.map((o) => ({
        campaign: o.campaign ? titleIn(o.campaign, locale) : null,
        organisation: o.organisation,
        suppressed: o.scope === 'suppressed',
        at: o.at.toISOString(),
      })),
      eraseUrl: publicLink(this.env, `/${locale}/privacy/erase`),
      privacyUrl: publicLink(this.env, `/${locale}/privacy`),
    });
  }

  /** An organiser's email: the template named by its kind (`admin.trending-alert` → `trending-alert`), from its own data. */
  private renderForOrganiser(mail: OrganiserMailToSend): RenderedMail {
    const template = mail.kind.slice(mail.kind.indexOf('.') + 1);
    const context: Record<string, unknown> = { ...mail.payload, organiser: { name: mail.organiser.name } };
    if (mail.tokenSeed) {
      const linkPath = mail.payload.linkPath;
      if (typeof linkPath !== 'string' || !linkPath.startsWith('/')) throw new UnrecoverableError('link email without a link path');
      context.link = publicLink(this.env, `${linkPath}${tokenFromSeed(appSecret(this.env), mail.tokenSeed)}`);
    }
    return this.renderer.render(template, mail.locale, context);
  }

  private renderForSigner(mail: SignatureMailToSend): RenderedMail {
    const locale: Locale = mail.signer.locale;
    const context = {
      signer: { name: mail.signer.name },
      campaign: { title: titleIn(mail.campaign, locale), organisation: mail.campaign.organisation },
      campaignUrl: publicLink(this.env, `/c/${encodeURIComponent(mail.campaign.slug)}`),
      ttlDays: Math.max(1, Math.round(this.env.SIGNATURE_TOKEN_TTL_HOURS / 24)),
      confirmUrl: '',
    };
    if (mail.kind === 'signature.confirmation') {
      if (!mail.tokenSeed) throw new UnrecoverableError('confirmation without a token seed');
      context.confirmUrl = publicLink(this.env, `/confirm/${tokenFromSeed(appSecret(this.env), mail.tokenSeed)}`);
      return this.renderer.render('confirmation', locale, context);
    }
    return this.renderer.render('already-signed', locale, context);
  }
}

/** Who an email goes to: an organiser, a supporter (the address they signed with) or a signer. */
function recipientOf(mail: MailToSend): { name: string; address: string } {
  if ('organiser' in mail) return { name: mail.organiser.name, address: mail.organiser.email };
  if ('supporter' in mail) return { name: mail.supporter.name, address: mail.supporter.email };
  return { name: mail.signer.name, address: mail.signer.email };
}
