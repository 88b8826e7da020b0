import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '../../common/locale';
import { CampaignLetterTranslation } from './campaign-letter-translation.entity';
import type { LetterTextDto } from './dto/letter-response.dto';

/** One row of campaign_letter_translations, as the translations query reads it. */
interface TranslationRow {
  locale: Locale;
  subject: string;
  body: string;
}

/** The only code that queries letter translations (table campaign_letter_translations). */
@Injectable()
export class LettersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async translations(campaignId: string): Promise<Partial<Record<Locale, LetterTextDto>>> {
    const rows: TranslationRow[] = await this.dataSource.query(
      `SELECT locale, subject, body FROM campaign_letter_translations WHERE campaign_id = $1 ORDER BY locale`,
      [campaignId],
    );
    return Object.fromEntries(rows.map((r) => [r.locale, { subject: r.subject, body: r.body }]));
  }

  async upsertTranslation(campaignId: string, locale: Locale, text: LetterTextDto, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO campaign_letter_translations (campaign_id, locale, subject, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (campaign_id, locale) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = now()`,
      [campaignId, locale, text.subject, text.body],
    );
  }

  async deleteTranslation(campaignId: string, locale: Locale): Promise<boolean> {
    const result = await this.dataSource.getRepository(CampaignLetterTranslation).delete({ campaignId, locale });
    return (result.affected ?? 0) > 0;
  }
}
