import { AppError } from '../../common/app-error';
import type { Principal } from '../../common/principal';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { SignaturesService } from '../signatures/signatures.service';
import type { TargetsService } from '../targets/targets.service';
import { addDays, chart, ConsoleStatsService, crossingDay, dailySeries, daysBetween, milestonePlan, niceStep } from './console-stats.service';

const NOW = new Date('2026-11-30T21:30:00Z'); // 00:30 on 1 December in Baghdad
const principal = { organisationId: 'org-1', role: 'organiser' } as Principal;
const ID = '0b9a3a52-5a43-4c55-9b5c-1f6c3f3b7d10';
const plain = (n: number) => String(n);
/** 25 % as an Arabic page writes it (Arabic-Indic digits, the Arabic percent sign and its letter mark). */
const arPercent = (x: number) => new Intl.NumberFormat('ar-u-nu-arab', { style: 'percent' }).format(x);

describe('console stats shaping', () => {
  it('lists every day between two days, across a month end', () => {
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(daysBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('fills the days without signatures and keeps the running total, from the first day to the last', () => {
    const s = dailySeries([{ day: '2026-11-03', verified: 2 }, { day: '2026-11-01', verified: 5 }], '2026-11-01', '2026-11-04');
    expect(s.shown).toEqual([
      { day: '2026-11-01', count: 5, total: 5 },
      { day: '2026-11-02', count: 0, total: 5 },
      { day: '2026-11-03', count: 2, total: 7 },
      { day: '2026-11-04', count: 0, total: 7 },
    ]);
    expect(s.all).toEqual(s.shown);
    expect(s.before).toBe(0);
  });

  it('counts on from what was verified before the first day, with the older days in front for the milestones', () => {
    const s = dailySeries(
      [{ day: '2026-11-01', verified: 9 }, { day: '2026-11-02', verified: 1 }, { day: '2026-11-03', verified: 3 }],
      '2026-11-02',
      '2026-11-04',
      4,
      [{ day: '2026-10-20', verified: 3 }, { day: '2026-10-30', verified: 1 }, { day: '2026-11-02', verified: 7 }],
    );
    // A day before the first is left out (the query starts a little early); so is a history day from the first on.
    expect(s.shown).toEqual([
      { day: '2026-11-02', count: 1, total: 5 },
      { day: '2026-11-03', count: 3, total: 8 },
      { day: '2026-11-04', count: 0, total: 8 },
    ]);
    expect(s.before).toBe(4);
    expect(s.all.slice(0, 2)).toEqual([
      { day: '2026-10-20', count: 3, total: 3 },
      { day: '2026-10-30', count: 1, total: 4 },
    ]);
    expect(crossingDay(s.all, 2)).toBe('2026-10-20');
    expect(crossingDay(s.all, 8)).toBe('2026-11-03');
  });

  it('adds and takes days across a month end', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -89)).toBe('2025-12-02');
  });

  it("plans the goal's quarters as the tally reaches them, or powers of ten up to the next one", () => {
    expect(milestonePlan(10, 0)).toEqual([
      { percent: 25, threshold: 3 },
      { percent: 50, threshold: 5 },
      { percent: 75, threshold: 8 },
      { percent: 100, threshold: 10 },
    ]);
    expect(milestonePlan(null, 0).map((m) => m.threshold)).toEqual([10]);
    expect(milestonePlan(null, 10).map((m) => m.threshold)).toEqual([10, 100]);
    expect(milestonePlan(null, 1234).map((m) => m.threshold)).toEqual([10, 100, 1000, 10000]);
    expect(milestonePlan(0, 5).map((m) => m.percent)).toEqual([null]);
  });

  it('finds the first day the running total reaches a number', () => {
    const s = dailySeries([{ day: '2026-11-01', verified: 9 }, { day: '2026-11-03', verified: 1 }, { day: '2026-11-04', verified: 95 }], '2026-11-01', '2026-11-05');
    expect(crossingDay(s.all, 9)).toBe('2026-11-01');
    expect(crossingDay(s.all, 10)).toBe('2026-11-03');
    expect(crossingDay(s.all, 100)).toBe('2026-11-04');
    expect(crossingDay(s.all, 106)).toBeNull();
  });

  it('steps the value axis by 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 3, 4, 5, 9, 23, 100, 1234].map((m) => niceStep(m))).toEqual([1, 1, 1, 2, 5, 10, 50, 500]);
  });

  it('draws bars oldest first left to right, mirrored right to left in Arabic, with the value axis on the reading side', () => {
    const days = dailySeries([{ day: '2026-11-01', verified: 4 }, { day: '2026-11-03', verified: 2 }], '2026-11-01', '2026-11-03').all;
    const ltr = chart('bars', days, false, plain, (d) => d.slice(8), 'label');
    const rtl = chart('bars', days, true, plain, (d) => d.slice(8), 'label');
    expect(ltr.bars).toHaveLength(2); // no bar for the empty day
    expect(ltr.bars[0].x).toBeLessThan(ltr.bars[1].x);
    expect(rtl.bars[0].x).toBeGreaterThan(rtl.bars[1].x);
    expect(ltr.bars[0].h).toBe(2 * ltr.bars[1].h);
    // The tallest bar reaches the top tick (4): the ticks are 0…4 by 1.
    expect(ltr.yTicks.map((t) => t.label)).toEqual(['0', '1', '2', '3', '4']);
    expect(ltr.bars[0].y).toBe(ltr.axis.y2);
    expect(ltr.axis.sx).toBeLessThan(ltr.width / 2);
    expect(rtl.axis.sx).toBeGreaterThan(rtl.width / 2);
    expect(ltr.xTicks.map((t) => t.label)).toEqual(['01', '02', '03']);
    expect(rtl.xTicks[0].x).toBeGreaterThan(rtl.xTicks[2].x);
    // The last date's label stays inside the chart.
    expect(ltr.xTicks[2].anchor).toBe('end');
    expect(rtl.xTicks[2].anchor).toBe('start');
    expect(ltr.line).toBe('');
  });

  it('draws the running total as a line ending at the total, with at most four dates', () => {
    const days = dailySeries([{ day: '2026-09-01', verified: 3 }, { day: '2026-11-30', verified: 7 }], '2026-09-01', '2026-11-30').all;
    const line = chart('line', days, false, plain, (d) => d, 'label');
    const points = line.line.split(' ').map((p) => p.split(',').map(Number));
    expect(points).toHaveLength(days.length);
    expect(points[0][1]).toBeGreaterThan(points[points.length - 1][1]);
    expect(line.end).toEqual({ x: points[points.length - 1][0], y: points[points.length - 1][1] });
    expect(line.xTicks.map((t) => t.label)).toEqual(['2026-09-01', '2026-10-01', '2026-10-31', '2026-11-30']);
    expect(line.yTicks.map((t) => t.label)).toEqual(['0', '5', '10']);
  });
});

describe('ConsoleStatsService', () => {
  function service(
    campaign: Record<string, unknown> | null,
    perDay: { day: string; verified: number }[],
    milestones: { percent: number; reachedAt: string }[] = [],
    tally: { verified?: number; byDay?: { day: string; verified: number }[]; asked?: Date[] } = {},
  ) {
    const campaigns = {
      owned: () => (campaign ? Promise.resolve(campaign) : Promise.reject(new AppError(404, 'CAMPAIGN_NOT_FOUND', 'no'))),
      timeZoneOf: (c: { timeZone: string | null }) => c.timeZone ?? 'UTC',
    } as unknown as CampaignsService;
    const total = tally.verified ?? perDay.reduce((a, d) => a + d.verified, 0);
    const signatures = {
      stats: () =>
        Promise.resolve({
          verified: total,
          pending: 1,
          held: 0,
          invalidated: 0,
          byCountry: [
            { country: 'JO', verified: 1 },
            { country: 'IQ', verified: total - 2 },
            { country: 'ZZ', verified: 1 },
          ],
          byDay: tally.byDay ?? [],
          milestones,
          letters: [{ targetId: 't1', name: 'Minister', totals: { queued: 1, sending: 1, sent: 3, failed: 1, bounced: 2, cancelled: 0 } }],
        }),
      verifiedPerDay: (_id: string, _zone: string, since: Date) => {
        tally.asked?.push(since);
        return Promise.resolve(perDay);
      },
    } as unknown as SignaturesService;
    const targets = { replyTotals: () => Promise.resolve([{ targetId: 't1', replies: 2, latest: '2026-11-20' }]) } as unknown as TargetsService;
    return new ConsoleStatsService(campaigns, signatures, targets);
  }
  const campaign = (fields: Record<string, unknown> = {}) => ({
    id: ID,
    title: 'Save the marshes',
    locale: 'en',
    translations: { ar: { title: 'أنقذوا الأهوار', summary: '', body: '' } },
    goal: null,
    status: 'live',
    closedAt: null,
    timeZone: 'Asia/Baghdad',
    createdAt: new Date('2026-11-20T10:00:00Z'),
    publishedAt: new Date('2026-11-25T10:00:00Z'),
    ...fields,
  });

  it('answers null for a malformed id and a campaign the caller may not see', async () => {
    expect(await service(campaign(), []).stats(principal, 'not-a-uuid', 'en', NOW)).toBeNull();
    expect(await service(null, []).stats(principal, ID, 'en', NOW)).toBeNull();
  });

  it("shapes the days in the campaign's zone from its publication to today, countries by count with names, letters and replies", async () => {
    const view = (await service(campaign(), [{ day: '2026-11-26', verified: 4 }, { day: '2026-12-01', verified: 8 }]).stats(principal, ID, 'en', NOW))!;
    // Published on 25 November, today is 1 December in Baghdad: seven days.
    expect(view.rows.map((r) => [r.day, r.count, r.total])).toEqual([
      ['25 November 2026', '0', '0'],
      ['26 November 2026', '4', '4'],
      ['27 November 2026', '0', '4'],
      ['28 November 2026', '0', '4'],
      ['29 November 2026', '0', '4'],
      ['30 November 2026', '0', '4'],
      ['1 December 2026', '8', '12'],
    ]);
    expect(view.perDay.label).toContain('12 in these days, the most on 1 December 2026 (8)');
    expect(view.capped).toBe('');
    expect(view.range).toBe('From 25 November 2026 to 1 December 2026, days as they fall in Arabian Standard Time.');
    expect(view.countries.map((c) => [c.name, c.count])).toEqual([['Iraq', '10'], ['Jordan', '1'], ['Unknown country', '1']]);
    expect(view.countries[2].unknown).toBe(true);
    expect(view.letters).toEqual([{ name: 'Minister', sent: '3', failed: '1', bounced: '2', waiting: '2', replies: '2', latestReply: '20 November 2026' }]);
    // No goal: round numbers, read from the days.
    expect(view.milestones).toEqual([
      { label: '10 signatures', reached: '1 December 2026', computed: false },
      { label: '100 signatures', reached: 'Not yet', computed: false },
    ]);
  });

  it("dates a goal's quarters as the tally recorded them, else from the daily counts (marked), in Arabic digits", async () => {
    const view = (await service(campaign({ goal: 8 }), [{ day: '2026-11-26', verified: 4 }, { day: '2026-11-28', verified: 3 }], [{ percent: 25, reachedAt: '2026-11-25T22:00:00Z' }]).stats(principal, ID, 'ar', NOW))!;
    expect(view.milestones).toEqual([
      // Recorded at 01:00 on 26 November in Baghdad.
      { label: `${arPercent(0.25)} من الهدف (٢)`, reached: '٢٦ نوفمبر ٢٠٢٦', computed: false },
      { label: `${arPercent(0.5)} من الهدف (٤)`, reached: '٢٦ نوفمبر ٢٠٢٦', computed: true },
      { label: `${arPercent(0.75)} من الهدف (٦)`, reached: '٢٨ نوفمبر ٢٠٢٦', computed: true },
      { label: `${arPercent(1)} من الهدف (٨)`, reached: 'لم تُبلَغ بعد', computed: false },
    ]);
    expect(view.anyComputed).toBe(true);
    expect(view.countries[0].name).toBe('العراق');
    expect(view.rows[1]).toEqual({ day: '٢٦ نوفمبر ٢٠٢٦', count: '٤', total: '٤' });
    expect(view.perDay.yTicks.map((t) => t.label)).toEqual(['٠', '١', '٢', '٣', '٤']);
  });

  it("writes large axis values short, in the page's language", async () => {
    const view = (await service(campaign(), [{ day: '2026-11-30', verified: 120_000 }]).stats(principal, ID, 'en', NOW))!;
    expect(view.cumulative.yTicks.map((t) => t.label)).toEqual(['0', '50k', '100k', '150k']);
    const ar = (await service(campaign(), [{ day: '2026-11-30', verified: 120_000 }]).stats(principal, ID, 'ar', NOW))!;
    expect(ar.cumulative.yTicks[1].label).toBe(new Intl.NumberFormat('ar-u-nu-arab', { notation: 'compact' }).format(50_000)); // ٥٠ ألف
    expect(ar.rows[5].total).toBe('١٢٠٬٠٠٠');
  });

  it('ends the days on the day a closed campaign closed, not today', async () => {
    const view = (await service(campaign({ status: 'closed', closedAt: new Date('2026-11-27T12:00:00Z') }), [{ day: '2026-11-26', verified: 4 }]).stats(principal, ID, 'en', NOW))!;
    expect(view.rows.map((r) => r.day)).toEqual(['25 November 2026', '26 November 2026', '27 November 2026']);
    const live = (await service(campaign({ status: 'live', closedAt: new Date('2026-11-27T12:00:00Z') }), []).stats(principal, ID, 'en', NOW))!;
    expect(live.rows).toHaveLength(7);
  });

  it('caps the charts at 90 days, reads only those from the signatures, and takes the older days from the tally', async () => {
    const asked: Date[] = [];
    const view = (
      await service(campaign({ publishedAt: new Date('2026-01-01T10:00:00Z') }), [{ day: '2026-11-30', verified: 1 }], [], {
        verified: 13,
        byDay: [{ day: '2026-01-02', verified: 5 }, { day: '2026-03-10', verified: 7 }, { day: '2026-11-30', verified: 1 }],
        asked,
      }).stats(principal, ID, 'en', NOW)
    )!;
    expect(view.rows).toHaveLength(90);
    expect(view.rows[0]).toEqual({ day: '3 September 2026', count: '0', total: '12' });
    expect(view.rows[89]).toEqual({ day: '1 December 2026', count: '0', total: '13' });
    // From 14 hours before 3 September (UTC): the first day's local midnight in any zone is later.
    expect(asked).toEqual([new Date('2026-09-02T10:00:00Z')]);
    expect(view.capped).toBe('The charts show the last 90 days only. 12 signatures verified before that are counted in the totals.');
    expect(view.milestones[0]).toEqual({ label: '10 signatures', reached: '10 March 2026', computed: false });
  });
});
