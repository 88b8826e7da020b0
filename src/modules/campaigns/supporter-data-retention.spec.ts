import type { Campaign } from './campaign.entity';
import { supporterDataAnonymisedAt } from './supporter-data-retention';

describe('supporterDataAnonymisedAt', () => {
  const at = (iso: string) => new Date(iso);
  const c = (fields: Partial<Campaign>) => ({ status: 'live', closedAt: null, wonAt: null, supportersAnonymisedAt: null, ...fields }) as Campaign;

  it('is null while a campaign is a draft or live (a reopened one included)', () => {
    expect(supporterDataAnonymisedAt(c({ status: 'draft' }), 180)).toBeNull();
    expect(supporterDataAnonymisedAt(c({ status: 'live', closedAt: null }), 180)).toBeNull();
  });

  it('is the given number of days (exact hours) after it closed', () => {
    expect(supporterDataAnonymisedAt(c({ status: 'closed', closedAt: at('2026-03-01T10:00:00Z') }), 180)?.toISOString()).toBe('2026-08-28T10:00:00.000Z');
  });

  it('counts from the win when a closed campaign was won later', () => {
    const won = c({ status: 'won', closedAt: at('2026-01-01T00:00:00Z'), wonAt: at('2026-02-01T00:00:00Z') });
    expect(supporterDataAnonymisedAt(won, 1)?.toISOString()).toBe('2026-02-02T00:00:00.000Z');
  });

  it('once done, is when it was done', () => {
    const done = c({ status: 'closed', closedAt: at('2025-01-01T00:00:00Z'), supportersAnonymisedAt: at('2025-07-01T03:40:00Z') });
    expect(supporterDataAnonymisedAt(done, 180)?.toISOString()).toBe('2025-07-01T03:40:00.000Z');
  });
});
