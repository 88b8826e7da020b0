import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

/** A campaign's letter in a language other than the campaign's own. */
@Entity({ name: 'campaign_letter_translations' })
export class CampaignLetterTranslation {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ type: 'text' })
  locale: Locale;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
