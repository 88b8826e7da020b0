import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue, UnrecoverableError } from 'bullmq';
import { whileLeased } from '../../common/lease';
import { chooseLetter, renderLetter, type RenderedLetter } from '../../common/letter-template';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { retryInPlace } from '../../common/retry-in-place';
import { safeError } from '../../common/safe-error';
import { Environment } from '../../config/environment';
import { BatchSender } from '../../infra/mail/batch-sender';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { createProducerQueue, mailAddress, mailDomain, retryBatch, sendBackoffMs, type SendRetry } from '../../infra/queue/producer-queue';
import { QueueName } from '../../infra/queue/queue-names';
import { TargetAnswersService } from '../targets/target-answers.service';
import { DigestsService } from './digests.service';
import { LetterBatchJobData, letterBatchJobs } from './letter-jobs';
import { LetterSendRepository, LetterToSend } from './letter-send.repository';

/** What one batch job did with its letters. */
export interface LetterBatchResult {
  /** Letters this job claimed (the others of the job were sent, failed, cancelled or held by another sender). */
  claimed: number;
  sent: number;
  /** Attempts that failed: retried later (a delayed job) or, when permanent or the last, failed for good. */
  failed: number;
}

/** A display name that is one line of plain text, whatever a supporter typed. */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return name.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
}

/** The line that ends every letter, in its language, before the target's answer link. */
export const ANSWER_LINE: Record<Locale, string> = {
  en: 'You can answer this campaign here; your answer is published only once the organisers approve it:',
  ar: 'يمكنكم الردّ على هذه الحملة من هنا، ولا يُنشر الردّ إلا بعد موافقة المنظّمين:',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The letter with the target's answer link at its end (text and HTML); as it was when there is no link. */
function withAnswerLink(letter: RenderedLetter, link: string | null, locale: Locale): RenderedLetter {
  if (!link) return letter;
  const paragraph = `<p>${escapeHtml(ANSWER_LINE[locale])}<br><a href="${escapeHtml(link)}" dir="ltr">${escapeHtml(link)}</a></p>`;
  return {
    subject: letter.subject,
    text: `${letter.text}\n\n--\n${ANSWER_LINE[locale]}\n${link}\n`,
    html: letter.html.replace(/\n<\/body>/, `\n${paragraph}\n</body>`),
  };
}

/**
 * Sends one released letter: re-reads it, sends it with its own Message-ID and bounce address
 * (VERP), and records the outcome. Recorded state around the send: `sending` before, `sent` after
 * the SMTP server accepted it. A worker killed between those two leaves a letter that is sent
 * again when its job is retried: the one window SMTP leaves open; the repeat carries the same
 * Message-ID, so a mail system that deduplicates drops it.
 */
@Injectable()
export class LetterSendService implements OnModuleDestroy {
  private readonly logger = new Logger(LetterSendService.name);
  private sender?: BatchSender;
  private retryProducer?: Queue<LetterBatchJobData>;

  constructor(
    private readonly letters: LetterSendRepository,
    private readonly digests: DigestsService,
    private readonly answers: TargetAnswersService,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.retryProducer?.close().catch(() => undefined);
  }

  /**
   * The in-process sender, one per worker: its in-flight limit spans every batch the worker runs.
   * Twice MAIL_CONCURRENCY in flight: each of the pool's connections has its next letter rendered
   * and waiting when it finishes one, so the pool stays full.
   */
  private get batches(): BatchSender {
    return (this.sender ??= new BatchSender({
      inFlight: this.env.MAIL_CONCURRENCY * 2,
      recordBudgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRecordRetry: (error, n) => this.logger.warn({ err: safeError(error), try: n }, 'Sent letters not yet recorded; retrying'),
    }));
  }

  private get retryQueue(): Queue<LetterBatchJobData> {
    return (this.retryProducer ??= createProducerQueue<LetterBatchJobData>(QueueName.Letters, this.env));
  }

  /**
   * A batch job: claims the released letters among `ids` whose lease is free (one statement, one
   * lease each: LetterSendRepository.claimBatch), sends them through the worker's pooled transport
   * with at most twice MAIL_CONCURRENCY in flight (BatchSender), and records those the server
   * accepted a group at a time (one statement each), each with its own Message-ID. A failed letter
   * is recorded on its own: a permanent failure (5xx) or the last attempt fails it; a temporary
   * one gives its lease back and is retried after a backoff by a delayed job of the batch's
   * failed letters (enqueued_at set to then: the dispatcher takes it as lost if that job is).
   * The batch job itself throws only when PostgreSQL is away; what it claimed waits for its lease.
   * A worker killed mid-batch leaves its unsent letters leased: the dispatcher enqueues them again
   * once the lease ran out and MAIL_REQUEUE_AFTER_SECONDS passed since their enqueueing; only a letter in flight (or accepted, not yet recorded) is sent again,
   * with the same Message-ID.
   */
  async sendBatch(ids: string[]): Promise<LetterBatchResult> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const { letters, gone } = await this.letters.claimBatch(ids, lease);
    if (!letters.length) return { claimed: gone.length, sent: 0, failed: 0 };
    const domain = mailDomain(this.env);
    const held = new Set(letters.map((l) => l.id));
    const links = new Map<string, Promise<string | null>>();
    const retries: SendRetry[] = [];
    const result = await whileLeased(
      lease,
      () => this.letters.renewBatch([...held], lease),
      () =>
        this.batches.run(letters, {
          send: async (letter) => {
            await this.transport.sendMail(await this.message(letter, domain, links));
          },
          recordSent: async (group) => {
            await this.letters.markSentBatch(
              group.map((l) => l.id),
              domain,
            );
            for (const l of group) held.delete(l.id);
            this.metrics.letterSend('sent', group.length);
          },
          recordFailure: async (letter, error) => {
            const { final, summary } = this.failure(letter, error);
            const backoff = final ? 0 : sendBackoffMs(this.env, letter.attempts);
            await this.letters.recordBatchError(letter.id, summary, final, backoff);
            held.delete(letter.id);
            this.metrics.letterSend(final ? 'failed' : 'retried');
            this.logger.warn({ letterId: letter.id, attempt: letter.attempts, failure: summary, final }, 'Letter not sent');
            if (!final) retries.push({ id: letter.id, attempts: letter.attempts, backoffMs: backoff });
          },
        }),
    );
    if (retries.length) await this.enqueueRetries(retries);
    return { claimed: letters.length + gone.length, sent: result.sent, failed: result.failed };
  }

  /** What a failed attempt means: final when permanent (5xx, no letter to send) or the last attempt. */
  private failure(letter: LetterToSend, error: unknown): { final: boolean; summary: string } {
    const failure = error instanceof UnrecoverableError ? { permanent: true, summary: error.message } : classifySmtpError(error);
    return { final: failure.permanent || letter.attempts >= this.env.MAIL_MAX_ATTEMPTS, summary: failure.summary };
  }

  /**
   * One delayed job for a batch's letters to try again, after the longest of their backoffs. If
   * Redis is away, their enqueued_at is cleared: the dispatcher's next pass enqueues them.
   */
  private async enqueueRetries(retries: SendRetry[]): Promise<void> {
    const { ids, options } = retryBatch(retries);
    try {
      await this.retryQueue.addBulk(letterBatchJobs(ids, ids.length, this.env, options));
    } catch (error) {
      this.logger.warn({ err: safeError(error), letters: ids.length }, 'Letter retries not enqueued (Redis?); the dispatcher will');
      await this.letters.markNotEnqueued(ids);
    }
  }

  /**
   * Sends one released letter under its lease (SEND_LEASE_SECONDS): a repeated or retaken job finds
   * it held or sent and sends nothing ('skipped'). A temporary failure is recorded and thrown, for
   * the job's retry; a permanent one, or the last attempt, fails the letter and throws an
   * UnrecoverableError. Once the SMTP server accepted it, marking it sent is retried in place,
   * never by re-running the job.
   */
  async send(id: string): Promise<'sent' | 'skipped'> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const letter = await this.letters.claim(id, lease);
    if (!letter) return 'skipped';
    return whileLeased(lease, () => this.letters.renewLease(id, lease), () => this.deliver(letter));
  }

  private async deliver(letter: LetterToSend): Promise<'sent'> {
    const id = letter.id;
    const domain = mailDomain(this.env);
    const messageId = `<letter-${id}@${domain}>`;
    try {
      await this.transport.sendMail(await this.message(letter, domain, new Map()));
    } catch (error) {
      const { final, summary } = this.failure(letter, error);
      await this.letters.recordError(id, summary, final);
      this.metrics.letterSend(final ? 'failed' : 'retried');
      this.logger.warn({ letterId: id, attempt: letter.attempts, failure: summary, final }, 'Letter not sent');
      if (final) throw new UnrecoverableError(summary);
      throw new Error(summary);
    }
    await retryInPlace(() => this.letters.markSent(id, messageId), {
      budgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRetry: (error, n) => this.logger.warn({ letterId: id, err: safeError(error), try: n }, 'Sent letter not yet recorded; retrying'),
    });
    this.metrics.letterSend('sent');
    return 'sent';
  }

  /**
   * The email of a letter, with its own Message-ID (`<letter-<id>@domain>`) and bounce address
   * (VERP). `links`: the targets' answer links already asked for in this batch (one read per target
   * and language, not per letter).
   */
  private async message(letter: LetterToSend, domain: string, links: Map<string, Promise<string | null>>) {
    const id = letter.id;
    const { rendered, attachments } = await this.compose(letter, links);
    const supporter = letter.supporter;
    return {
      from: supporter ? { name: `${displayName(supporter.name)} via Nida`, address: mailAddress(this.env) } : this.env.MAIL_FROM,
      to: { name: displayName(letter.target.name), address: letter.target.email },
      ...(supporter?.replyConsent ? { replyTo: supporter.email } : {}),
      envelope: { from: `bounce+${id}@${domain}`, to: letter.target.email },
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachments,
      messageId: `<letter-${id}@${domain}>`,
      headers: { 'X-Nida-Letter': id },
    };
  }

  /**
   * The letter in the target's language when the campaign has it, else in the campaign's own. A
   * digest adds who signed in its period (DigestsService.compose): a paragraph and a CSV.
   */
  private async compose(letter: LetterToSend, links: Map<string, Promise<string | null>>) {
    const { campaign, target, supporter, digest } = letter;
    const own = campaign.subject && campaign.body ? { subject: campaign.subject, body: campaign.body } : null;
    const { text, locale } = chooseLetter(own, campaign.locale, target.locale, letter.translation);
    if (!text) throw new UnrecoverableError('the campaign has no letter');
    const values = {
      'supporter.name': supporter?.name ?? null,
      'supporter.city': supporter?.city ?? null,
      'supporter.comment': supporter?.comment ?? null,
      'campaign.title': titleIn(campaign, locale),
      'target.name': target.name,
      count: campaign.count,
    };
    const key = `${target.id}|${locale}`;
    let linked = links.get(key);
    if (!linked) {
      linked = this.answers.link(target.id, locale);
      links.set(key, linked);
      // A failed read is not kept: the next letter of the batch asks again.
      linked.catch(() => links.delete(key));
    }
    const link = await linked;
    if (!digest) return { rendered: withAnswerLink(renderLetter(text, values, locale), link, locale), attachments: [] };

    const zone = target.timeZone ?? campaign.timeZone ?? this.env.PAGE_TIME_ZONE;
    const { summary, attachment } = await this.digests.compose(digest, locale, campaign.count, zone);
    return {
      rendered: withAnswerLink(renderLetter({ subject: text.subject, body: `${text.body}\n\n${summary}` }, values, locale), link, locale),
      attachments: [attachment],
    };
  }
}
