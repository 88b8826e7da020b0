import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { whileLeased } from '../../common/lease';
import { chooseLetter, renderLetter, type RenderedLetter } from '../../common/letter-template';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { retryInPlace } from '../../common/retry-in-place';
import { safeError } from '../../common/safe-error';
import { Environment } from '../../config/environment';
import { MAIL_TRANSPORT, MailTransport } from '../../infra/mail/mail-transport';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { mailAddress, mailDomain } from '../../infra/queue/producer-queue';
import { TargetAnswersService } from '../targets/target-answers.service';
import { DigestsService } from './digests.service';
import { LetterSendRepository, LetterToSend } from './letter-send.repository';

export interface LetterJobData {
  letterId: string;
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
export class LetterSendService {
  private readonly logger = new Logger(LetterSendService.name);

  constructor(
    private readonly letters: LetterSendRepository,
    private readonly digests: DigestsService,
    private readonly answers: TargetAnswersService,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
    private readonly metrics: MetricsService,
  ) {}

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
      this.metrics.letterSend(final ? 'failed' : 'retried');
      this.logger.warn({ letterId: id, attempt: letter.attempts, failure: failure.summary, final }, 'Letter not sent');
      if (final) throw new UnrecoverableError(failure.summary);
      throw new Error(failure.summary);
    }
    await retryInPlace(() => this.letters.markSent(id, messageId), {
      budgetMs: (this.env.SEND_LEASE_SECONDS * 1000) / 2,
      onRetry: (error, n) => this.logger.warn({ letterId: id, err: safeError(error), try: n }, 'Sent letter not yet recorded; retrying'),
    });
    this.metrics.letterSend('sent');
    return 'sent';
  }

  /**
   * The letter in the target's language when the campaign has it, else in the campaign's own. A
   * digest adds who signed in its period (DigestsService.compose): a paragraph and a CSV.
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
    const link = await this.answers.link(target.id, locale);
    if (!digest) return { rendered: withAnswerLink(renderLetter(text, values, locale), link, locale), attachments: [] };

    const zone = target.timeZone ?? campaign.timeZone ?? this.env.PAGE_TIME_ZONE;
    const { summary, attachment } = await this.digests.compose(digest, locale, campaign.count, zone);
    return {
      rendered: withAnswerLink(renderLetter({ subject: text.subject, body: `${text.body}\n\n${summary}` }, values, locale), link, locale),
      attachments: [attachment],
    };
  }
}
