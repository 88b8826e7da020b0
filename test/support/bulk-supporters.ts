import type { TestApp } from './test-app';
import { emailHash } from './supporter-data';

export interface BulkSupporter {
  email: string;
  locale: 'ar' | 'en';
  consent: boolean;
}

/**
 * Verified signatures written straight into the table (volume: thousands in one statement), as the
 * app stores them with DATA_ENCRYPTION off: sealed columns as `plain:<text>`, the email's blind index.
 */
export async function insertVerifiedSupporters(t: TestApp, campaignId: string, supporters: BulkSupporter[]): Promise<void> {
  for (let i = 0; i < supporters.length; i += 5000) {
    const part = supporters.slice(i, i + 5000);
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, locale, status, contact_consent, verified_at, data_key, contact_organisation_ids)
       SELECT $1, 'plain:' || e, h, lower(split_part(e, '@', 2)), 'plain:Supporter ' || split_part(e, '@', 1), 'IQ', l, 'verified', c, now(), 'plain', CASE WHEN c THEN ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)] ELSE '{}'::uuid[] END
         FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[]) AS x(e, h, l, c)`,
      [campaignId, part.map((s) => s.email), part.map((s) => emailHash(s.email)), part.map((s) => s.locale), part.map((s) => s.consent)],
    );
  }
}
