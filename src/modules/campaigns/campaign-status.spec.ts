import { CAMPAIGN_STATUSES } from './campaign.entity';
import { canTransition, effectiveStatus, isPublicStatus, organiserCanTransition } from './campaign-status';

describe('campaign status transitions', () => {
  const allowed = [
    ['draft', 'live'],
    ['draft', 'in_review'],
    ['in_review', 'live'],
    ['in_review', 'draft'],
    ['live', 'closed'],
    ['live', 'won'],
    ['closed', 'live'],
    ['closed', 'won'],
  ];

  it('allows exactly the documented moves', () => {
    for (const from of CAMPAIGN_STATUSES) {
      for (const to of CAMPAIGN_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('leaves the review moves to admins: an organiser only publishes a draft, and nothing in review', () => {
    expect(CAMPAIGN_STATUSES.filter((to) => organiserCanTransition('draft', to))).toEqual(['live']);
    expect(CAMPAIGN_STATUSES.filter((to) => organiserCanTransition('in_review', to))).toEqual([]);
    expect(CAMPAIGN_STATUSES.filter((to) => organiserCanTransition('closed', to))).toEqual(['live', 'won']);
  });

  it('shows neither a draft nor a campaign in review to the public', () => {
    expect(CAMPAIGN_STATUSES.filter(isPublicStatus)).toEqual(['live', 'closed', 'won']);
  });

  it('keeps a won campaign won', () => {
    expect(CAMPAIGN_STATUSES.filter((to) => canTransition('won', to))).toEqual([]);
  });
});

describe('effectiveStatus', () => {
  const now = new Date('2026-11-21T12:00:00Z');

  it('shows a live campaign past its deadline as closed', () => {
    expect(effectiveStatus('live', new Date('2026-11-21T11:59:59Z'), now)).toBe('closed');
    expect(effectiveStatus('live', new Date('2026-11-21T12:00:01Z'), now)).toBe('live');
    expect(effectiveStatus('live', null, now)).toBe('live');
  });

  it('leaves other statuses alone', () => {
    expect(effectiveStatus('won', new Date('2020-01-01Z'), now)).toBe('won');
    expect(effectiveStatus('draft', new Date('2020-01-01Z'), now)).toBe('draft');
    expect(effectiveStatus('in_review', new Date('2020-01-01Z'), now)).toBe('in_review');
  });
});
