import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import { COUNTRY_CODES } from '../../common/countries';
import { allForms, FORMAT_LOCALE, formatNumber, plural } from '../../common/plural';
import { ShortCache } from '../../common/short-cache';
import { Environment } from '../../config/environment';
import { LOCALES, type Locale } from '../../common/locale';
import { textIn, textLocale } from '../../common/locale';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { PublicCampaignResponseDto } from '../public-campaigns/dto/public-campaign-response.dto';
import { SignaturesService } from '../signatures/signatures.service';
import { CommentsService } from '../signatures/comments.service';
import type { PublicCommentDto } from '../signatures/dto/comment-response.dto';
import { MediaService } from '../media/media.service';
import { TargetsService } from '../targets/targets.service';
import { dirOf, PageRenderer } from './page-renderer';
import { type PageStrings } from './page-strings';
import { renderRichText } from './rich-text';
import { emptySignForm, noErrors, SIGN_FIELDS, type SignFormErrors, type SignFormValues } from './sign-form';

/** The campaign as its pages read it (its updates come separately: CampaignUpdatesView). */
export type PublicCampaign = Omit<PublicCampaignResponseDto, 'updates'>;

export interface ProgressView {
  count: number;
  /** The count in words, in the form its number takes: «توقيعان», «١١ توقيعاً», "1 signature". */
  countText: string;
  /** Every form of the count, for the page script that refreshes it (JSON). */
  countForms: string;
  hasGoal: boolean;
  goal: number;
  goalText: string;
  ofGoal: string;
  percent: string;
}

/** The addresses of the public pages, in one place. */
export const pagePath = {
  home: (l: Locale) => `/${l}`,
  campaign: (l: Locale, slug: string) => `/${l}/c/${encodeURIComponent(slug)}`,
  checkEmail: (l: Locale, slug: string) => `/${l}/c/${encodeURIComponent(slug)}/check-email`,
  embed: (l: Locale, slug: string) => `/${l}/embed/c/${encodeURIComponent(slug)}`,
  embedCheckEmail: (l: Locale, slug: string) => `/${l}/embed/c/${encodeURIComponent(slug)}/check-email`,
  confirm: (l: Locale, token: string) => `/${l}/confirm/${encodeURIComponent(token)}`,
  privacy: (l: Locale) => `/${l}/privacy`,
  privacyErase: (l: Locale) => `/${l}/privacy/erase`,
  privacyMyData: (l: Locale) => `/${l}/privacy/my-data`,
  privacyCheckEmail: (l: Locale) => `/${l}/privacy/check-email`,
  privacyEraseLink: (l: Locale, token: string) => `/${l}/privacy/erase/${encodeURIComponent(token)}`,
};

/** Every language's address of one page. */
export function alternates(path: (l: Locale) => string): Record<Locale, string> {
  return Object.fromEntries(LOCALES.map((l) => [l, path(l)])) as Record<Locale, string>;
}

/** Builds what the page templates show from the public reads (counts come from the counters). */
@Injectable()
export class PublicPagesService {
  private readonly countries = new Map<Locale, { code: string; name: string }[]>();
  /** Deadline formats per language and time zone (the campaign's, else PAGE_TIME_ZONE). */
  private readonly dates = new Map<string, Intl.DateTimeFormat>();
  private readonly days = new Map<Locale, Intl.DateTimeFormat>();
  /** Page reads reused for COUNT_CACHE_MS, as the count is: a campaign page shared widely is read in bursts. */
  private readonly published: ShortCache<PublicCampaign | null>;
  private readonly recentSigners: ShortCache<{ firstName: string; city: string | null }[]>;
  private readonly shownComments: ShortCache<PublicCommentDto[]>;

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly signatures: SignaturesService,
    private readonly pages: PageRenderer,
    private readonly env: Environment,
    private readonly media: MediaService,
    private readonly comments: CommentsService,
  ) {
    this.shownComments = new ShortCache(env.COUNT_CACHE_MS);
    this.published = new ShortCache(env.COUNT_CACHE_MS);
    this.recentSigners = new ShortCache(env.COUNT_CACHE_MS);
    for (const locale of LOCALES) {
      const names = new Intl.DisplayNames([locale], { type: 'region' });
      const collator = new Intl.Collator(locale);
      this.countries.set(
        locale,
        [...COUNTRY_CODES]
          .map((code) => ({ code, name: names.of(code) ?? code }))
          .sort((a, b) => collator.compare(a.name, b.name)),
      );
      // A reply's day is a calendar date (YYYY-MM-DD), written as it is: read at UTC midnight, shown in UTC.
      this.days.set(locale, new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }));
    }
  }

  /**
   * A deadline in the campaign's zone, named as people say it: «توقيت العراق», "Iraq Time". UTC
   * (and Etc/… zones, which have no place name) is named in full in Arabic («التوقيت العالمي
   * المنسق») and "UTC" in English, never the Latin abbreviation on an Arabic page.
   */
  private deadline(iso: string, locale: Locale, zone: string): string {
    const key = `${locale}|${zone}`;
    let format = this.dates.get(key);
    if (!format) {
      const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
      const placeless = resolved === 'UTC' || resolved.startsWith('Etc/');
      format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: placeless ? (locale === 'ar' ? 'long' : 'short') : 'shortGeneric',
        timeZone: zone,
      });
      if (this.dates.size < 1000) this.dates.set(key, format);
    }
    return format.format(new Date(iso));
  }

  /** A published campaign with its targets, or null for drafts and unknown slugs. `fresh` skips the reuse. */
  campaign(slug: string, fresh = false): Promise<PublicCampaign | null> {
    if (fresh) this.published.delete(slug);
    return this.published.get(slug, async () => {
      try {
        const campaign = await this.campaigns.getPublic(slug);
        return { ...campaign, targets: await this.targets.listPublic(campaign.id), ...(await this.media.mediaOf(campaign.id, false)) };
      } catch (error) {
        if (error instanceof AppError && error.code === 'CAMPAIGN_NOT_FOUND') return null;
        throw error;
      }
    });
  }

  progress(count: number, goal: number | null, locale: Locale, t: PageStrings): ProgressView {
    const goalText = goal ? formatNumber(goal, locale) : '';
    return {
      count,
      countText: plural(count, locale, t.signatureCount),
      countForms: JSON.stringify(allForms(locale, t.signatureCount)),
      hasGoal: goal !== null && goal > 0,
      goal: goal ?? 0,
      goalText,
      ofGoal: t.ofGoal.replace('{goal}', goalText),
      percent: goal ? Math.min(100, (count / goal) * 100).toFixed(1) : '0',
    };
  }

  campaignView(c: PublicCampaign, locale: Locale, t: PageStrings, form: FormState) {
    const text = textIn(c, locale);
    const live = c.status === 'live';
    return {
      campaign: {
        slug: c.slug,
        url: pagePath.campaign(locale, c.slug),
        urgent: c.kind === 'urgent_action',
        kindLabel: c.kind === 'urgent_action' ? t.urgentAction : t.petition,
        organisation: c.organisation.name,
        // "By X, with Y and Z": the partners as a list in the page's language, each name isolated (<bdi>).
        partnerParts: c.partners.length ? listParts(c.partners.map((p) => p.name), locale) : null,
        textLocale: text.locale,
        textDir: dirOf(text.locale),
        title: text.title,
        summary: text.summary,
        bodyHtml: renderRichText(text.body),
        live,
        closed: c.status === 'closed',
        won: c.status === 'won',
        outcome: c.outcome,
        deadline:
          c.kind === 'urgent_action' && c.endsAt && live
            ? { iso: c.endsAt, text: this.deadline(c.endsAt, locale, c.timeZone ?? this.env.PAGE_TIME_ZONE) }
            : null,
      },
      photo: photoView(c, locale),
      progress: this.progress(c.signatureCount, c.goal, locale, t),
      targets: c.targets.map((target) => ({
        name: target.name,
        title: target.title,
        organisation: target.organisation,
        replied: target.replyStatus === 'replied',
        repliedText: target.reply
          ? t.repliedOn.replace('{date}', this.days.get(locale)!.format(new Date(`${target.reply.receivedOn}T00:00:00Z`)))
          : t.replied,
        replyText: target.reply?.text ?? null,
      })),
      form: { ...this.formView(locale, form, c), commentHint: commentHint(c, t) },
    };
  }

  /**
   * The newest comments the page shows (none when comments are off), reused for COUNT_CACHE_MS as
   * the page itself is: an approval shows within that plus PAGE_CACHE_SECONDS. Escaped by the
   * template like every text; a supporter not shown is "a supporter"; dated in the page's language.
   */
  async commentsView(c: PublicCampaign, locale: Locale, t: PageStrings) {
    const items = await this.shownComments.get(c.id, async () => (await this.comments.publicOf(c, undefined, PAGE_COMMENTS)).items);
    return items.map((item) => ({
      text: item.text,
      who: item.firstName ?? t.commentAnonymous,
      named: item.firstName !== null,
      city: item.city,
      iso: item.date,
      date: this.days.get(locale)!.format(new Date(`${item.date}T00:00:00Z`)),
    }));
  }

  recent(c: PublicCampaign) {
    return this.recentSigners.get(c.id, () => this.signatures.recentPublic(c.id));
  }

  formView(locale: Locale, form: FormState, c?: Pick<PublicCampaign, 'organisation' | 'partners'>) {
    const errorList = SIGN_FIELDS.filter((f) => form.errors[f]).map((f) => ({ target: `f-${f}`, message: form.errors[f] }));
    return {
      // With partners, one consent box per organisation, each named; without, the single box.
      consentOrganisations: c?.partners.length
        ? [c.organisation, ...c.partners].map((o, i) => ({
            id: o.id,
            name: o.name,
            inputId: `f-contact-${i}`,
            checked: form.values.contactOrganisations.includes(o.id),
          }))
        : null,
      action: form.action,
      compact: form.compact,
      renderedAt: form.renderedAt,
      values: form.values,
      errors: form.errors,
      errorList,
      countries: this.countries.get(locale)!.map((c) => ({ ...c, selected: c.code === form.values.country })),
    };
  }

  /** Live campaigns with their progress, for the home page. */
  async home(locale: Locale, t: PageStrings) {
    const list = await this.campaigns.listPublic(1, 50);
    return list.items.map((c) => {
      const shown = textLocale(c, locale);
      const text = shown === c.locale ? c : c.translations[shown]!;
      return {
        url: pagePath.campaign(locale, c.slug),
        urgent: c.kind === 'urgent_action',
        kindLabel: c.kind === 'urgent_action' ? t.urgentAction : t.petition,
        title: text.title,
        summary: text.summary,
        textLocale: shown,
        textDir: dirOf(shown),
        progress: this.progress(c.signatureCount, c.goal, locale, t),
      };
    });
  }
}

/** Comments the campaign page shows (the newest; the API pages through all of them). */
export const PAGE_COMMENTS = 20;

/** What the sign form says happens to a comment, under the campaign's setting. */
function commentHint(c: PublicCampaign, t: PageStrings): string {
  return c.comments === 'off' ? t.commentHintOff : c.comments === 'open' ? t.commentHintOpen : t.commentHintModerated;
}

/** How wide the photo shows: the page's column (44rem less its padding), or the screen less the padding. */
export const PHOTO_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';
/** Screens this narrow (phones) get the 480-wide version whatever their pixel density: ≤ 40 KB on a costly connection. */
export const PHONE_MEDIA = '(max-width: 30rem)';

/**
 * The campaign's photo as the page shows it: a <picture> with WebP and JPEG sizes (srcset/sizes,
 * the browser picks), explicit width and height (no layout shift), the dominant colour behind it
 * while it loads (an SVG rect's fill: the CSP allows no style attribute), the alt text in the
 * page's language. Phones get the 480-wide version (PHONE_MEDIA), whatever their pixel density.
 * It sits at the top of the page, so it is not lazy.
 */
export function photoView(c: PublicCampaign, locale: Locale) {
  const image = c.image;
  if (!image) return null;
  const largest = image.versions[image.versions.length - 1];
  const fallback = image.versions.find((v) => v.width >= 960) ?? largest;
  const phone = image.versions[0];
  return {
    phoneMedia: PHONE_MEDIA,
    phoneWebp: phone.webp,
    phoneJpeg: phone.jpeg,
    width: largest.width,
    height: largest.height,
    colour: image.colour,
    alt: image.alt[locale] || image.alt.en || image.alt.ar,
    credit: image.credit,
    sizes: PHOTO_SIZES,
    webpSrcset: image.versions.map((v) => `${v.webp} ${v.width}w`).join(', '),
    jpegSrcset: image.versions.map((v) => `${v.jpeg} ${v.width}w`).join(', '),
    src: fallback.jpeg,
  };
}

/**
 * What a link preview shows (og:image, twitter:image): the share card when one is rendered, else
 * the photo's 1200-or-wider JPEG (its largest), else nothing; absolute URLs.
 */
export function previewImage(c: PublicCampaign, locale: Locale, absolute: (path: string) => string) {
  if (c.shareCard) return { url: absolute(c.shareCard.url), width: c.shareCard.width, height: c.shareCard.height, alt: c.shareCard.alt, type: 'image/png' };
  if (!c.image) return null;
  const largest = c.image.versions[c.image.versions.length - 1];
  return { url: absolute(largest.jpeg), width: largest.width, height: largest.height, alt: c.image.alt[locale] || c.image.alt.en, type: 'image/jpeg' };
}

/** The sign form as it is about to be shown: fresh, or sent back with errors. */
export interface FormState {
  action: string;
  compact: boolean;
  /** The signed render time the form carries (FormBotCheck.stamp). */
  renderedAt: string;
  values: SignFormValues;
  errors: SignFormErrors;
}

export function freshForm(action: string, compact: boolean, renderedAt: string): FormState {
  return { action, compact, renderedAt, values: emptySignForm(), errors: noErrors() };
}

/** A list of names as the language writes one ("Y and Z", "Y وZ"), as parts: the names apart from the words between them. */
export function listParts(names: string[], locale: Locale): { text: string; name: boolean }[] {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' })
    .formatToParts(names)
    .map((p) => ({ text: p.value, name: p.type === 'element' }));
}
