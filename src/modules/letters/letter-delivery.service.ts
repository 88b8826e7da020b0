import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue, UnrecoverableError } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { Environment } from '../../config/environment';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { createProducerQueue, mailAddress, mailDomain, sendJobs } from '../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { LetterDeliveryRepository, LetterToSend } from './letter-delivery.repository';
import { csv, csvRows } from './csv';
import { Readable } from 'node:stream';
import { retryInPlace } from '../../common/retry-in-place';
import { whileLeased } from '../../common/lease';
import { safeError } from '../../common/safe-error';
import { titleIn } from '../../common/locale';
import { chooseLetter, renderLetter } from './letter-template';
import { digestSummary } from './digest-summary';

/** A digest's body names at most this many supporters; its CSV lists them all. */
const DIGEST_NAMES_IN_BODY = 500;

export interface LetterJobData {
  letterId: string;
}

/** A display name that is one line of plain text, whatever a supporter typed. */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return name.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
}

/**
 * Sends letters to officials. A dispatcher releases them at each target's pace (oldest first) and
 * enqueues them (jobId = letter id); the worker re-reads each, sends it with its own Message-ID
 * and bounce address (VERP), and records the outcome. Recorded state around the send: `sending`
 * before, `sent` after the SMTP server accepted it. A worker killed between those two leaves a
 * letter that is sent again when its job is retried: the one window SMTP leaves open; the repeat
 * carries the same Message-ID, so a mail system that deduplicates drops it.
 */
@Injectable()
export class LetterDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(LetterDeliveryService.name);
  private readonly queue: Queue<LetterJobData>;

  constructor(
    private readonly letters: LetterDeliveryRepository,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
  ) {
    this.queue = createProducerQueue<LetterJobData>(QueueName.Letters, env);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }

  /** One dispatcher pass: releases paced letters, and enqueues again those whose job may be lost. */
  async dispatch(limit = 1000): Promise<number> {
    const { ids: released, failed } = await this.letters.dispatch(this.env.LETTER_PACE_PER_HOUR, limit);
    for (const f of failed) this.logger.error({ targetId: f.targetId, err: safeError(f.error) }, 'Letters of one target not dispatched');
    const lost = await this.letters.takeLost(this.env.MAIL_REQUEUE_AFTER_SECONDS, limit);
    const ids = [...released, ...lost];
    if (!ids.length) return 0;
    try {
      await this.queue.addBulk(sendJobs(JobName.LetterSend, ids, (letterId) => ({ letterId }), this.env));
    } catch (error) {
      await this.letters.markNotEnqueued(ids);
      throw error;
    }
    return ids.length;
  }

  /**
   * In the caller's confirming transaction: one letter per target of a per_signature campaign
   * (suppressed targets excepted). Returns how many were queued.
   */
  createForSignature(m: EntityManager, campaignId: string, signatureId: string): Promise<number> {
    return this.letters.createForSignature(m, campaignId, signatureId);
  }

  /** Letters per target and status, for the campaign's stats. */
  totalsByTarget(campaignId: string) {
    return this.letters.totalsByTarget(campaignId);
  }

  /** Cuts the digests that are due (LETTER_DIGEST_INTERVAL_HOURS); their letters then go through dispatch. */
  cutDigests(): Promise<number> {
    return this.letters.cutDigests(this.env.LETTER_DIGEST_INTERVAL_HOURS);
  }

  /**
   * Sends one released letter under its lease (SEND_LEASE_SECONDS): a repeated or retaken job finds
   * it held or sent and sends nothing. Once the SMTP server accepted it, marking it sent is retried
   * in place, never by re-running the job.
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
      const { rendered, attachments } = await this.compose(letter);
      const supporter = letter.supporter;
      await this.transport.sendMail({
        from: supporter ? { name: `${displayName(supporter.name)} via Nida`, address: mailAddress(this.env) } : this.env.MAIL_FROM,
        to: { name: displayName(letter.target.name), address: letter.target.email },
        ...(supporter?.replyConsent ? { replyTo: supporter.email } : {}),
        envelope: { from: `bounce+${id}@${domain}`, to: letter.target.email },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments,
        messageId,
        headers: { 'X-Nida-Letter': id },
      });
    } catch (error) {
      const failure = error instanceof UnrecoverableError ? { permanent: true, summary: error.message } : classifySmtpError(error);
      const final = failure.permanent || letter.attempts >= this.env.MAIL_MAX_ATTEMPTS;
      await this.letters.recordError(id, failure.summary, final);
      this.logger.warn({ letterId: id, attempt: letter.attempts, failure: failure.summary, final }, 'Letter not sent');
      if (final) throw new UnrecoverableError(failure.summary);
      throw new Error(failure.summary);
    }
    await retryInPlace(() => this.letters.markSent(id, messageId), {
      budgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRetry: (error, n) => this.logger.warn({ letterId: id, err: safeError(error), try: n }, 'Sent letter not yet recorded; retrying'),
    });
    return 'sent';
  }

  /**
   * The letter in the target's language when the campaign has it, else in the campaign's own. A
   * digest adds who signed in its period: how many, the total, the names of those who agreed to be
   * shown, and a CSV of the new supporters (name, city, country: never an email).
   */
  private async compose(letter: LetterToSend) {
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
    if (!digest) return { rendered: renderLetter(text, values, locale), attachments: [] };

    const named: string[] = [];
    for await (const page of this.letters.digestSupporters(digest.campaignId, digest.periodStart, digest.periodEnd)) {
      for (const s of page) if (named.length < DIGEST_NAMES_IN_BODY) named.push(s.city ? `${s.name} (${s.city})` : s.name);
      if (named.length >= DIGEST_NAMES_IN_BODY) break;
    }
    const zone = target.timeZone ?? campaign.timeZone ?? this.env.PAGE_TIME_ZONE;
    const body = `${text.body}\n\n${digestSummary(locale, digest.supporters, campaign.count, digest.periodStart, named, zone)}`;
    const day = digest.periodEnd.toISOString().slice(0, 10);
    return {
      rendered: renderLetter({ subject: text.subject, body }, values, locale),
      attachments: [
        {
          filename: `supporters-${day}.csv`,
          contentType: 'text/csv; charset=utf-8',
          content: Readable.from(this.digestCsv(digest)),
        },
      ],
    };
  }

  /**
   * The digest's CSV, read a page at a time: the supporters who agreed to be shown (as the body
   * names them), with name, city and country — never an email. A byte-order mark first, so
   * spreadsheet programs read Arabic names as UTF-8.
   */
  private async *digestCsv(digest: NonNullable<LetterToSend['digest']>): AsyncGenerator<string> {
    yield '\ufeff' + csv(['name', 'city', 'country'], []);
    for await (const page of this.letters.digestSupporters(digest.campaignId, digest.periodStart, digest.periodEnd)) {
      yield csvRows(page.map((s) => [s.name, s.city, s.country]));
    }
  }
}
