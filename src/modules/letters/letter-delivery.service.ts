import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue, UnrecoverableError } from 'bullmq';
import { Environment } from '../../config/environment';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { createProducerQueue, mailAddress, mailDomain } from '../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import { classifySmtpError } from '../mail/smtp-errors';
import { LetterDeliveryRepository, LetterToSend } from './letter-delivery.repository';
import { renderLetter } from './letter-template';

export interface LetterJobData {
  letterId: string;
}

/** A display name that is one line of plain text, whatever a supporter typed. */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return name.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
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
    const released = await this.letters.dispatch(this.env.LETTER_PACE_PER_HOUR, limit);
    const lost = await this.letters.takeLost(this.env.MAIL_REQUEUE_AFTER_SECONDS, limit);
    const ids = [...released, ...lost];
    if (!ids.length) return 0;
    try {
      await this.queue.addBulk(
        ids.map((id) => ({
          name: JobName.LetterSend,
          data: { letterId: id },
          opts: {
            jobId: id,
            attempts: this.env.MAIL_MAX_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.env.MAIL_BACKOFF_MS, jitter: 0.5 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    } catch (error) {
      await this.letters.markNotEnqueued(ids);
      throw error;
    }
    return ids.length;
  }

  async send(id: string): Promise<'sent' | 'skipped'> {
    const letter = await this.letters.claim(id);
    if (!letter) return 'skipped';
    const domain = mailDomain(this.env);
    const messageId = `<letter-${id}@${domain}>`;
    try {
      const rendered = this.render(letter);
      await this.transport.sendMail({
        from: { name: `${displayName(letter.supporter.name)} via Nida`, address: mailAddress(this.env) },
        to: { name: displayName(letter.target.name), address: letter.target.email },
        ...(letter.supporter.replyConsent ? { replyTo: letter.supporter.email } : {}),
        envelope: { from: `bounce+${id}@${domain}`, to: letter.target.email },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'X-Nida-Letter': id },
      });
    } catch (error) {
      const failure = classifySmtpError(error);
      const final = failure.permanent || letter.attempts >= this.env.MAIL_MAX_ATTEMPTS;
      await this.letters.recordError(id, failure.summary, final);
      this.logger.warn({ letterId: id, attempt: letter.attempts, failure: failure.summary, final }, 'Letter not sent');
      if (final) throw new UnrecoverableError(failure.summary);
      throw new Error(failure.summary);
    }
    await this.letters.markSent(id, messageId);
    return 'sent';
  }

  /** In the target's language when the campaign has the letter in it, else in the campaign's own. */
  private render(letter: LetterToSend) {
    const { campaign, target, supporter } = letter;
    const own = campaign.subject && campaign.body ? { subject: campaign.subject, body: campaign.body } : null;
    const [text, locale] =
      target.locale !== campaign.locale && letter.translation ? [letter.translation, target.locale] : [own, campaign.locale];
    if (!text) throw new UnrecoverableError('the campaign has no letter');
    const title = locale === campaign.locale ? campaign.title : (campaign.translations[locale]?.title ?? campaign.title);
    return renderLetter(
      text,
      {
        'supporter.name': supporter.name,
        'supporter.city': supporter.city,
        'supporter.comment': supporter.comment,
        'campaign.title': title,
        'target.name': target.name,
        count: campaign.count,
      },
      locale,
    );
  }
}
