import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from '../../infra/database/bigint-as-number.transformer';

/** Verified signatures of a campaign from one country, folded from tally events. */
@Entity({ name: 'campaign_country_counters' })
export class CampaignCountryCounter {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** ISO 3166-1 alpha-2, as the signer gave it. */
  @PrimaryColumn({ type: 'text' })
  country: string;

  @Column({ type: 'bigint', default: 0, transformer: BIGINT_AS_NUMBER })
  verified: number;
}
