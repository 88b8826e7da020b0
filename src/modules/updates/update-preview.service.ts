import { Injectable } from '@nestjs/common';
import { LOCALES, type Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { Environment, publicLink } from '../../config/environment';
import { MailRenderer } from '../../infra/mail/mail-renderer';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { UpdateText } from './case-update.entity';
import { caseStatusLabel } from './case-status-labels';
import { UpdatesRepository } from './updates.repository';

/** The email a notified update would send in one language, as the console previews it. */
export interface UpdateEmailPreview {
  locale: Locale;
  subject: string;
  /** The text version's first lines (greeting, the campaign, the title, the start of the body). */
  lines: string[];
}

/** Lines of the text version the preview shows. */
const PREVIEW_LINES = 7;

/**
 * What the console shows before an update is posted: how many supporters a notified update would
 * reach now, and its email in each language it has text for, rendered by the same templates the
 * send uses (a placeholder for the supporter's name and link). Reads only; sends nothing.
 * Authorisation is the campaign's (CampaignsService.owned / previewPublic: 404, 403).
 */
@Injectable()
export class UpdatePreviewService {
  constructor(
    private readonly updates: UpdatesRepository,
    private readonly campaigns: CampaignsService,
    private readonly renderer: MailRenderer,
    private readonly env: Environment,
  ) {}

  /** Supporters a notified update would be emailed to if posted now (one count over the campaign's signatures). */
  async recipientCount(principal: Principal, campaignId: string): Promise<number> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    return this.updates.countRecipients(campaign.id, campaign.organisationId);
  }

  /**
   * The email of an update not yet posted: `texts` by language (the campaign's own, and the other
   * when translated), each as a supporter reading that language would get it; `names` is the
   * placeholder for the supporter's name, per language.
   */
  async email(
    principal: Principal,
    campaignId: string,
    texts: Partial<Record<Locale, UpdateText>>,
    caseStatus: string | null,
    names: Record<Locale, string>,
  ): Promise<UpdateEmailPreview[]> {
    const campaign = await this.campaigns.previewPublic(principal, campaignId);
    const zone = campaign.timeZone ?? this.env.PAGE_TIME_ZONE;
    const order = [campaign.locale, ...LOCALES.filter((l) => l !== campaign.locale)];
    return order
      .filter((l) => texts[l]?.title.trim() || texts[l]?.body.trim())
      .map((locale) => {
        const text = texts[locale]!;
        const rendered = this.renderer.render('case-update', locale, {
          supporter: { name: names[locale] },
          campaign: { title: locale === campaign.locale ? campaign.title : (campaign.translations[locale]?.title ?? campaign.title), organisation: campaign.organisation.name },
          update: {
            title: text.title.trim(),
            paragraphs: text.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
            date: new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: zone }).format(new Date()),
            status: caseStatusLabel(caseStatus, locale),
          },
          campaignUrl: publicLink(this.env, `/${locale}/c/${encodeURIComponent(campaign.slug)}`),
          unsubscribeUrl: publicLink(this.env, '/u/…'),
        });
        // The opening of the text version, without its links (the campaign's page, the unsubscribe link).
        const lines = rendered.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.includes('://')).slice(0, PREVIEW_LINES);
        return { locale, subject: rendered.subject, lines };
      });
  }
}
