import { Inject, Injectable, Logger } from '@nestjs/common';
import Handlebars from 'handlebars';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { whileLeased } from '../../common/lease';
import { renderLetter } from '../../common/letter-template';
import { countryName } from '../../common/country-names';
import { titleIn, type Locale } from '../../common/locale';
import { FORMAT_LOCALE, formatNumber, plural } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { safeError } from '../../common/safe-error';
import { Environment } from '../../config/environment';
import { MAIL_TRANSPORT, type MailTransport } from '../../infra/mail/mail-transport';
import { classifySmtpError } from '../../infra/mail/smtp-errors';
import { mailDomain } from '../../infra/queue/producer-queue';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LettersService } from '../letters/letters.service';
import { SignaturesService } from '../signatures/signatures.service';
import { TallyService } from '../tally/tally.service';
import { TargetErrors } from '../targets/targets.errors';
import { TargetsService } from '../targets/targets.service';
import { DossierPrinter } from './dossier-printer';
import { DOSSIER_STRINGS } from './dossier-strings';
import { type DossierSendRow, DossierSendsRepository } from './dossier-sends.repository';
import { DossierErrors } from './dossiers.errors';

const TEMPLATE = join(__dirname, '../../templates/dossier/dossier.hbs');

/** Names per page of the keyset read, and so per chunk of the HTML. */
const NAMES_PAGE = 1000;

type Recipient = NonNullable<Awaited<ReturnType<TargetsService['recipient']>>>;
type Campaign = Awaited<ReturnType<CampaignsService['owned']>>;

/** A dossier: its file name and bytes. */
export interface DossierFile {
  filename: string;
  pdf: Buffer;
}

/** A dossier email as the console lists it. */
export interface DossierSendView {
  id: string;
  status: DossierSendRow['status'];
  createdAt: string;
  sentAt: string | null;
}

const escape = (s: string) => Handlebars.escapeExpression(s);
const blocks = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => ({ lines: b.split('\n') }));

/**
 * A target's dossier: the petition as a PDF for that official, in their language — the letter as
 * written to them, the campaign's text, the verified count and when it was read, the countries,
 * and the names (and cities) of the verified supporters who chose to be shown, read page by page
 * (keyset) into the document. Printed by Chromium (DossierPrinter). Organisers download it, or
 * have it emailed to the target: one email per console click, sent by the workers under a lease.
 */
@Injectable()
export class DossiersService {
  private readonly logger = new Logger(DossiersService.name);
  private template?: HandlebarsTemplateDelegate;

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly letters: LettersService,
    private readonly tally: TallyService,
    private readonly signatures: SignaturesService,
    private readonly audit: AuditService,
    private readonly printer: DossierPrinter,
    private readonly sends: DossierSendsRepository,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly env: Environment,
  ) {}

  /** The dossier for the organisers: 404 for a campaign or target they may not see, 503 without Chromium. */
  async forOrganiser(principal: Principal, campaignId: string, targetId: string, ip: string | null = null): Promise<DossierFile> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    const target = await this.targets.recipient(campaign.id, targetId);
    if (!target) throw TargetErrors.notFound();
    this.printer.assertAvailable();
    const file = await this.build(campaign, target);
    await this.audit.record({ actor: principal, action: 'dossiers.download', campaignId, subjectId: target.id, ip });
    return file;
  }

  /**
   * Queues the dossier's email to the target, once per `requestKey` (the console form's: a double
   * click is one email), with its audit event in the same transaction. False when that key was
   * used already. 409 when letters to the target stopped after bounces; 503 without Chromium.
   */
  async queueSend(principal: Principal, campaignId: string, targetId: string, requestKey: string, ip: string | null = null): Promise<boolean> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const target = await this.targets.recipient(campaign.id, targetId);
    if (!target) throw TargetErrors.notFound();
    if (target.suppressed) throw DossierErrors.targetSuppressed();
    this.printer.assertAvailable();
    return this.sends.transaction(async (m) => {
      const id = await this.sends.insert(m, { campaignId, targetId, requestedBy: principal.id, requestKey });
      if (!id) return false;
      await this.audit.record({ actor: principal, action: 'dossiers.send', campaignId, subjectId: target.id, details: { dossierSendId: id }, ip }, m);
      return true;
    });
  }

  /** A fresh key for a console form that sends a dossier. */
  newRequestKey(): string {
    return randomUUID();
  }

  /** The target's dossier emails, newest first (for a campaign the caller already owns). */
  async sendsOf(targetId: string): Promise<DossierSendView[]> {
    return (await this.sends.list(targetId)).map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at ? r.sent_at.toISOString() : null,
    }));
  }

  /**
   * Workers: sends the oldest queued dossier email under its lease (SEND_LEASE_SECONDS), its PDF
   * printed now. A temporary failure is tried again after MAIL_BACKOFF_MS; a permanent one, or the
   * MAIL_MAX_ATTEMPTS-th, fails it. Returns whether there was one to send.
   */
  async sendNext(): Promise<boolean> {
    const lease = this.env.SEND_LEASE_SECONDS;
    const row = await this.sends.claimNext(lease);
    if (!row) return false;
    await whileLeased(lease, () => this.sends.renewLease(row.id, lease), () => this.deliver(row));
    return true;
  }

  private async deliver(row: DossierSendRow): Promise<void> {
    const messageId = `<dossier-${row.id}@${mailDomain(this.env)}>`;
    try {
      const campaign = await this.campaigns.byIdForWorker(row.campaign_id);
      const target = campaign ? await this.targets.recipient(campaign.id, row.target_id) : null;
      if (!campaign || !target) throw Object.assign(new Error('campaign or target removed'), { permanent: true });
      const file = await this.build(campaign, target);
      const d = DOSSIER_STRINGS[target.locale];
      const title = titleIn(campaign, target.locale);
      await this.transport.sendMail({
        from: this.env.MAIL_FROM,
        to: { name: target.name.replace(/[\r\n]+/g, ' ').slice(0, 100), address: target.email },
        subject: d.mailSubject.replace('{campaign}', title).replace('{n}', plural((await this.tally.campaignTally(campaign.id)).verified, target.locale, d.countLine)).replace(/\s+/g, ' '),
        text: d.mailText.replace('{target}', target.name).replace('{campaign}', title),
        attachments: [{ filename: file.filename, content: file.pdf, contentType: 'application/pdf' }],
        messageId,
        headers: { 'X-Nida-Dossier': row.id },
      });
    } catch (error) {
      const permanent = (error as { permanent?: boolean }).permanent === true;
      const failure = permanent ? { permanent: true, summary: (error as Error).message } : classifySmtpError(error);
      const final = failure.permanent || row.attempts >= this.env.MAIL_MAX_ATTEMPTS;
      await this.sends.recordError(row.id, failure.summary, final, this.env.MAIL_BACKOFF_MS * 2 ** Math.min(row.attempts - 1, 10));
      this.logger.warn({ dossierSendId: row.id, attempt: row.attempts, failure: failure.summary, final, err: safeError(error) }, 'Dossier not sent');
      return;
    }
    await this.sends.markSent(row.id, messageId);
  }

  // ── the document ──────────────────────────────────────────────────────────

  private async build(campaign: Campaign, target: Recipient): Promise<DossierFile> {
    const html = await this.html(campaign, target);
    const pdf = await this.printer.print(html);
    return { filename: `${DOSSIER_STRINGS[target.locale].fileName}-${campaign.slug}.pdf`.replace(/[^A-Za-z0-9._-]/g, '-'), pdf };
  }

  /** The dossier as HTML, in the target's language; every value escaped. */
  async html(campaign: Campaign, target: Recipient): Promise<string> {
    const locale: Locale = target.locale;
    const d = DOSSIER_STRINGS[locale];
    const zone = this.campaigns.timeZoneOf(campaign);
    const texts = locale === campaign.locale ? campaign : (campaign.translations[locale] ?? campaign);
    const [tally, letter] = await Promise.all([this.tally.campaignTally(campaign.id), this.letters.letterIn(campaign, locale)]);
    const asOf = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(new Date());
    const collator = new Intl.Collator(locale);
    const countries = tally.byCountry
      .filter((c) => c.verified > 0)
      .map((c) => ({ name: countryName(c.country, locale) ?? d.otherCountry, verified: c.verified }))
      .sort((a, b) => b.verified - a.verified || collator.compare(a.name, b.name))
      .map((c) => ({ name: c.name, count: formatNumber(c.verified, locale) }));
    const rendered = letter.text
      ? renderLetter(
          letter.text,
          {
            'supporter.name': d.eachSupporterName,
            'supporter.city': d.eachSupporterCity,
            'supporter.comment': d.eachSupporterComment,
            'campaign.title': titleIn(campaign, letter.locale),
            'target.name': target.name,
            count: tally.verified,
          },
          letter.locale,
        )
      : null;
    // The names, read page by page: each page becomes its escaped HTML at once.
    const chunks: string[] = [];
    let named = 0;
    for await (const page of this.signatures.publicSigners(campaign.id, NAMES_PAGE)) {
      named += page.length;
      chunks.push(page.map((s) => `<li><bdi>${escape(s.name)}</bdi>${s.city ? ` <span class="city">— <bdi>${escape(s.city)}</bdi></span>` : ''}</li>`).join('\n'));
    }
    // One name a line, one column: a reader (and text extraction) meets them in the order they signed.
    const names = named ? `<ul class="names">\n${chunks.join('\n')}\n</ul>` : '';
    this.template ??= Handlebars.create().compile(readFileSync(TEMPLATE, 'utf8'), { strict: true });
    return this.template({
      locale,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      s: d,
      title: titleIn(campaign, locale),
      summary: texts.summary,
      body: blocks(texts.body),
      preparedFor: d.preparedFor.replace('{target}', target.name),
      countLine: plural(tally.verified, locale, d.countLine),
      asOf: d.asOf.replace('{date}', asOf),
      letter: rendered ? { subject: rendered.subject, paragraphs: blocks(rendered.text) } : null,
      countries,
      namesIntro: plural(named, locale, d.namesIntro),
      names,
    });
  }
}
