import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonErrors } from '../../common/app-error';
import { chooseLetter, LETTER_PLACEHOLDERS, placeholderProblems, renderLetter } from '../../common/letter-template';
import type { LetterMode } from '../../common/letter-mode';
import { titleIn, type CampaignTranslations, type Locale } from '../../common/locale';
import { Principal } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';
import { TargetsService } from '../targets/targets.service';
import type { TargetAddressee } from '../targets/dto/target-addressee.dto';
import { LetterPreviewResponseDto, LetterResponseDto, LetterTextDto } from './dto/letter-response.dto';
import { LetterTranslationDto } from './dto/letter-translation.dto';
import { LettersRepository } from './letters.repository';

/** What a letter needs of its campaign (as CampaignsService.owned returns it). */
export interface LetterCampaign {
  id: string;
  locale: Locale;
  title: string;
  translations: CampaignTranslations;
  letterMode: LetterMode;
  letterSubject: string | null;
  letterBody: string | null;
}

/** The supporter a preview is rendered for. */
const SAMPLE_SUPPORTER: Record<Locale, { name: string; city: string; comment: string }> = {
  en: { name: 'Layla Hassan', city: 'Basra', comment: 'Please act before it is too late.' },
  ar: { name: 'ليلى حسن', city: 'البصرة', comment: 'أرجو أن تتحركوا قبل فوات الأوان.' },
};

/**
 * Letter templates: a campaign's letter (its own language is set with the campaign), its
 * translations, the placeholders it may use, and the preview. Sending is letter-deliveries' job.
 */
@Injectable()
export class LettersService {
  constructor(
    private readonly letters: LettersRepository,
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
  ) {}

  async get(principal: Principal, campaignId: string): Promise<LetterResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    return this.describe(campaign);
  }

  async putTranslation(principal: Principal, campaignId: string, locale: Locale, dto: LetterTranslationDto): Promise<LetterResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    if (locale === campaign.locale) {
      throw CommonErrors.validation([
        { field: 'locale', problems: [`the campaign's own language (${locale}) is set through PATCH /campaigns/:id { letter }`] },
      ]);
    }
    const problems = placeholderProblems('letter', { subject: dto.subject, body: dto.body });
    if (problems.length) throw CommonErrors.validation(problems);
    await this.letters.upsertTranslation(campaignId, locale, dto);
    return this.describe(campaign);
  }

  async deleteTranslation(principal: Principal, campaignId: string, locale: Locale): Promise<void> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    if (!(await this.letters.deleteTranslation(campaignId, locale))) {
      throw CommonErrors.validation([{ field: 'locale', problems: [`the letter has no ${locale} translation`] }]);
    }
  }

  /**
   * In the caller's transaction (a campaign being created, such as the demo): sets the letter in
   * one more language. The caller vouches for its placeholders.
   */
  saveTranslation(m: EntityManager, campaignId: string, locale: Locale, text: LetterTextDto): Promise<void> {
    return this.letters.upsertTranslation(campaignId, locale, text, m);
  }

  /**
   * The letter as a target would receive it, for a sample supporter, and in which language: the one
   * asked for (query, else the target's, else the campaign's), or the campaign's own when the letter
   * has no translation in it (`fellBack`), as the target would then receive it.
   */
  async preview(principal: Principal, campaignId: string, locale?: Locale, targetId?: string): Promise<LetterPreviewResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'view');
    const target = await this.previewTarget(campaignId, targetId);
    const wanted = locale ?? target?.locale ?? campaign.locale;
    const { text, locale: used } = await this.letterIn(campaign, wanted);
    return this.renderPreview(campaign, target, text, used, wanted);
  }

  /**
   * The letter as `targetId` would receive it if it were `draft` (texts being edited, not saved):
   * in the target's language when the draft has it there, else in the campaign's own, as sending
   * would choose. The console's live preview; the same renderer and sample supporter as `preview`.
   */
  async previewDraft(principal: Principal, campaignId: string, targetId: string, draft: Partial<Record<Locale, LetterTextDto>>): Promise<LetterPreviewResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId, 'edit');
    const target = await this.previewTarget(campaignId, targetId);
    const wanted = target?.locale ?? campaign.locale;
    const filled = (t: LetterTextDto | undefined) => (t && t.subject.trim() && t.body.trim() ? t : null);
    const { text, locale: used } = chooseLetter(filled(draft[campaign.locale]), campaign.locale, wanted, filled(draft[wanted]));
    return this.renderPreview(campaign, target, text, used, wanted);
  }

  private async previewTarget(campaignId: string, targetId?: string): Promise<TargetAddressee | null> {
    const target = targetId ? await this.targets.addressee(campaignId, targetId) : null;
    if (targetId && !target) throw CommonErrors.validation([{ field: 'targetId', problems: ['no such target in this campaign'] }]);
    return target;
  }

  private async renderPreview(
    campaign: LetterCampaign,
    target: TargetAddressee | null,
    text: LetterTextDto | null,
    used: Locale,
    wanted: Locale,
  ): Promise<LetterPreviewResponseDto> {
    if (!text) throw CommonErrors.validation([{ field: 'letter', problems: ['the campaign has no letter yet'] }]);
    const supporter = SAMPLE_SUPPORTER[used];
    const rendered = renderLetter(
      text,
      {
        'supporter.name': supporter.name,
        'supporter.city': supporter.city,
        'supporter.comment': supporter.comment,
        'campaign.title': titleIn(campaign, used),
        'target.name': target?.name ?? (used === 'ar' ? 'حضرة المسؤول' : 'Sir or Madam'),
        count: await this.campaigns.signatureCount(campaign.id),
      },
      used,
    );
    return { locale: used, requestedLocale: wanted, fellBack: used !== wanted, ...rendered };
  }

  /** The letter in `locale` when the campaign has it, else in the campaign's own language. */
  async letterIn(campaign: LetterCampaign, locale: Locale): Promise<{ text: LetterTextDto | null; locale: Locale }> {
    const own = campaign.letterSubject && campaign.letterBody ? { subject: campaign.letterSubject, body: campaign.letterBody } : null;
    const translation = locale === campaign.locale ? null : (await this.letters.translations(campaign.id))[locale];
    return chooseLetter(own, campaign.locale, locale, translation);
  }

  private async describe(campaign: LetterCampaign): Promise<LetterResponseDto> {
    return {
      mode: campaign.letterMode,
      locale: campaign.locale,
      subject: campaign.letterSubject,
      body: campaign.letterBody,
      translations: await this.letters.translations(campaign.id),
      placeholders: LETTER_PLACEHOLDERS.map((p) => `{{${p}}}`),
    };
  }
}
