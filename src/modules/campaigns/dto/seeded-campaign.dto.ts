import type { Campaign } from '../campaign.entity';

/** A campaign written as it is, without the rules of create and publish (the demo seed). */
export type SeededCampaignDto = Pick<
  Campaign,
  'slug' | 'kind' | 'locale' | 'title' | 'summary' | 'body' | 'translations' | 'goal' | 'timeZone' | 'organisationId' | 'status' | 'endsAt' | 'publishedAt' | 'letterMode' | 'letterSubject' | 'letterBody'
>;
