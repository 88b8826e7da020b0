import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../../common/app-error';
import { Principal } from '../../common/principal';
import { Campaign } from '../campaigns/campaign.entity';
import { Locale } from '../../common/locale';
import { CampaignsRepository } from '../campaigns/campaigns.repository';
import { CampaignsService } from '../campaigns/campaigns.service';
import { TargetsRepository } from '../targets/targets.repository';
import { LetterPreviewResponseDto, LetterResponseDto } from './dto/letter-response.dto';
import { LetterTranslationDto } from './dto/letter-translation.dto';
import { titleIn } from '../../common/locale';
import { chooseLetter, LETTER_PLACEHOLDERS, placeholderProblems, renderLetter } from './letter-template';
import { LetterText, LettersRepository } from './letters.repository';

/** The supporter a preview is rendered for. */
const SAMPLE_SUPPORTER: Record<Locale, { name: string; city: string; comment: string }> = {
  en: { name: 'Layla Hassan', city: 'Basra', comment: 'Please act before it is too late.' },
  ar: { name: 'ليلى حسن', city: 'البصرة', comment: 'أرجو أن تتحركوا قبل فوات الأوان.' },
};

@Injectable()
export class LettersService {
  constructor(
    private readonly letters: LettersRepository,
    private readonly campaigns: CampaignsService,
    private readonly campaignRows: CampaignsRepository,
    private readonly targets: TargetsRepository,
  ) {}

  async get(principal: Principal, campaignId: string): Promise<LetterResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId);
    return this.describe(campaign);
  }

  async putTranslation(principal: Principal, campaignId: string, locale: Locale, dto: LetterTranslationDto) {
    const campaign = await this.campaigns.owned(principal, campaignId);
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
    await this.campaigns.owned(principal, campaignId);
    if (!(await this.letters.deleteTranslation(campaignId, locale))) {
      throw CommonErrors.validation([{ field: 'locale', problems: [`the letter has no ${locale} translation`] }]);
    }
  }

  /**
   * The letter as a target would receive it, for a sample supporter, and in which language: the one
   * asked for (query, else the target's, else the campaign's), or the campaign's own when the letter
   * has no translation in it (`fellBack`), as the target would then receive it.
   */
  async preview(principal: Principal, campaignId: string, locale?: Locale, targetId?: string): Promise<LetterPreviewResponseDto> {
    const campaign = await this.campaigns.owned(principal, campaignId);
    const target = targetId ? await this.targets.findOne(campaignId, targetId) : null;
    if (targetId && !target) throw CommonErrors.validation([{ field: 'targetId', problems: ['no such target in this campaign'] }]);
    const wanted = locale ?? target?.locale ?? campaign.locale;
    const { text, locale: used } = await this.letterIn(campaign, wanted);
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
        count: await this.campaignRows.signatureCount(campaign.id),
      },
      used,
    );
    return { locale: used, requestedLocale: wanted, fellBack: used !== wanted, ...rendered };
  }

  /** The letter in `locale` when the campaign has it, else in the campaign's own language. */
  async letterIn(campaign: Campaign, locale: Locale): Promise<{ text: LetterText | null; locale: Locale }> {
    const own = campaign.letterSubject && campaign.letterBody ? { subject: campaign.letterSubject, body: campaign.letterBody } : null;
    const translation = locale === campaign.locale ? null : (await this.letters.translations(campaign.id))[locale];
    return chooseLetter(own, campaign.locale, locale, translation);
  }

  private async describe(campaign: Campaign): Promise<LetterResponseDto> {
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
