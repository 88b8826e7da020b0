import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from '../../common/app-error';
import { countryName } from '../../common/country-names';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { FORMAT_LOCALE, formatNumber, plural } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { dayIn } from '../../common/zoned-date';
import { CampaignsService } from '../campaigns/campaigns.service';
import { SignaturesService } from '../signatures/signatures.service';
import { TargetsService } from '../targets/targets.service';
import { CONSOLE_STATS_STRINGS, type ConsoleStatsStrings } from './console-stats-strings';

/** The charts draw at most this many days (the latest); older signatures are in the totals. */
export const MAX_CHART_DAYS = 90;
const DAY_MS = 86_400_000;
/** The goal's quarters the tally records (tally.repository.ts, `fold`). */
const GOAL_PERCENTS = [25, 50, 75, 100];

/** One calendar day of the campaign (in its zone): verified that day, and in total by its end. */
export interface DayPoint {
  day: string;
  count: number;
  total: number;
}

export interface DailySeries {
  /** The days drawn, from the first to the last, days without signatures at zero. */
  shown: DayPoint[];
  /** Days before the first one drawn (the tally's UTC day counters), then `shown`: what milestones read. */
  all: DayPoint[];
  /** Verified before the first day drawn (counted in the totals). */
  before: number;
}

/** Every day from `from` to `to` (YYYY-MM-DD, both included). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The day `n` days after `day` (before, for a negative `n`). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const byDay = (a: { day: string }, b: { day: string }) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0);

/**
 * The verified signatures per day as the charts and the milestones read them: every day from
 * `firstDay` to `lastDay` (or a later day with signatures), days without signatures at zero, with
 * the running total from `before` (verified earlier); `history`, the days before `firstDay`, is
 * put in front for the milestones.
 */
export function dailySeries(perDay: { day: string; verified: number }[], firstDay: string, lastDay: string, before = 0, history: { day: string; verified: number }[] = []): DailySeries {
  const inRange = perDay.filter((r) => r.day >= firstDay).sort(byDay);
  const last = inRange.length && inRange[inRange.length - 1].day > lastDay ? inRange[inRange.length - 1].day : lastDay;
  const counts = new Map(inRange.map((r) => [r.day, r.verified]));
  let total = 0;
  const earlier = history
    .filter((r) => r.day < firstDay)
    .sort(byDay)
    .map((r) => {
      total += r.verified;
      return { day: r.day, count: r.verified, total };
    });
  total = before;
  const shown = daysBetween(firstDay, last).map((day) => {
    const count = counts.get(day) ?? 0;
    total += count;
    return { day, count, total };
  });
  return { shown, all: [...earlier, ...shown], before };
}

export interface MilestonePlan {
  /** The count to reach. */
  threshold: number;
  /** The share of the goal it is; null for a round number (no goal). */
  percent: number | null;
}

/**
 * The milestones of a campaign: each quarter of its goal (as the tally records them: reached when
 * `verified × 100 ≥ goal × percent`), or without a goal the powers of ten from 10 that `total`
 * has passed and the next one.
 */
export function milestonePlan(goal: number | null, total: number): MilestonePlan[] {
  if (goal && goal > 0) return GOAL_PERCENTS.map((percent) => ({ percent, threshold: Math.ceil((goal * percent) / 100) }));
  const plan: MilestonePlan[] = [];
  for (let n = 10; ; n *= 10) {
    plan.push({ threshold: n, percent: null });
    if (n > total) return plan;
  }
}

/** The first day whose running total reaches `threshold`, or null. */
export function crossingDay(all: DayPoint[], threshold: number): string | null {
  return all.find((d) => d.total >= threshold)?.day ?? null;
}

/** A step of 1, 2 or 5 × 10ⁿ that cuts 0…max into about `ticks` parts (at least 1: counts are whole). */
export function niceStep(max: number, ticks = 4): number {
  if (max <= ticks) return 1;
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return Math.max(1, nice * magnitude);
}

export interface ChartTick {
  x: number;
  y: number;
  label: string;
  /** Physical (the chart's text is laid out left to right in both languages). */
  anchor: 'start' | 'middle' | 'end';
}

export interface ChartView {
  width: number;
  height: number;
  label: string;
  /** The plot's baseline and side axis. */
  axis: { x1: number; y1: number; x2: number; y2: number; sx: number };
  grid: { x1: number; x2: number; y: number }[];
  yTicks: ChartTick[];
  xTicks: ChartTick[];
  bars: { x: number; y: number; w: number; h: number }[];
  /** The cumulative line's points (`x,y x,y …`), and its last point. */
  line: string;
  end: { x: number; y: number } | null;
}

const WIDTH = 400;
const HEIGHT = 200;
/** The side with the value labels, the other side, the top and the bottom (date labels). */
const PAD = { labels: 44, side: 12, top: 12, bottom: 26 };
const round = (v: number) => Math.round(v * 10) / 10;

/**
 * The geometry of a bar chart (`kind: 'bars'`, the count of each day) or a line chart (`'line'`,
 * the running total) over `days`, oldest first: in an Arabic (RTL) page time runs from right to
 * left and the value axis stands on the right, as Arabic readers expect. A few labelled ticks on
 * each axis, in the page's digits; `dayLabel` writes a day for the date axis.
 */
export function chart(kind: 'bars' | 'line', days: DayPoint[], rtl: boolean, number: (n: number) => string, dayLabel: (day: string) => string, label: string): ChartView {
  const values = days.map((d) => (kind === 'bars' ? d.count : d.total));
  const step = niceStep(Math.max(0, ...values));
  const top = Math.max(step, Math.ceil(Math.max(0, ...values) / step) * step);
  const left = rtl ? PAD.side : PAD.labels;
  const right = WIDTH - (rtl ? PAD.labels : PAD.side);
  const bottom = HEIGHT - PAD.bottom;
  const plotHeight = bottom - PAD.top;
  const slot = (right - left) / Math.max(1, days.length);
  const centre = (i: number) => (rtl ? right - (i + 0.5) * slot : left + (i + 0.5) * slot);
  const y = (v: number) => bottom - (v / top) * plotHeight;
  const side = rtl ? right : left;

  const yTicks: ChartTick[] = [];
  const grid: ChartView['grid'] = [];
  for (let v = 0; v <= top; v += step) {
    yTicks.push({ x: round(rtl ? side + 6 : side - 6), y: round(y(v) + 4), label: number(v), anchor: rtl ? 'start' : 'end' });
    if (v > 0) grid.push({ x1: left, x2: right, y: round(y(v)) });
  }

  const n = days.length;
  // Four dates at most: Arabic month names are long, and a phone's chart is narrow.
  const picks = n <= 4 ? days.map((_, i) => i) : [...new Set([0, 1, 2, 3].map((k) => Math.round(((n - 1) * k) / 3)))];
  const xTicks: ChartTick[] = picks.map((i) => ({
    x: round(centre(i)),
    y: bottom + 18,
    label: dayLabel(days[i].day),
    // The last date's label is kept inside the chart: it ends (LTR) or starts (RTL) at its day.
    anchor: n > 1 && i === n - 1 ? (rtl ? 'start' : 'end') : 'middle',
  }));

  const barWidth = Math.max(1, slot * 0.7);
  const bars =
    kind === 'bars'
      ? days.flatMap((d, i) => (d.count > 0 ? [{ x: round(centre(i) - barWidth / 2), y: round(y(d.count)), w: round(barWidth), h: round(bottom - y(d.count)) }] : []))
      : [];
  const points = kind === 'line' ? days.map((d, i) => `${round(centre(i))},${round(y(d.total))}`) : [];
  const last = days.length - 1;
  return {
    width: WIDTH,
    height: HEIGHT,
    label,
    axis: { x1: left, y1: bottom, x2: right, y2: PAD.top, sx: side },
    grid,
    yTicks,
    xTicks,
    bars,
    line: points.join(' '),
    end: kind === 'line' && last >= 0 ? { x: round(centre(last)), y: round(y(days[last].total)) } : null,
  };
}

export interface StatsView {
  title: string;
  s: ConsoleStatsStrings;
  overview: { label: string; value: string; id: string }[];
  hasSignatures: boolean;
  range: string;
  capped: string;
  perDay: ChartView;
  cumulative: ChartView;
  rows: { day: string; count: string; total: string }[];
  countries: { name: string; count: string; share: string; unknown: boolean }[];
  milestonesIntro: string;
  milestones: { label: string; reached: string; computed: boolean }[];
  anyComputed: boolean;
  letters: { name: string; sent: string; failed: string; bounced: string; waiting: string; replies: string; latestReply: string }[];
}

/**
 * The console's Statistics page for one campaign: verified signatures per day and in total (as
 * two server-drawn SVG charts and a table), by country with names from i18n-iso-countries,
 * milestones with their dates, and letters and replies per official. Days are calendar days in the
 * campaign's zone. Everything is read through the modules' services (the per-day counts are the
 * dashboard's query, for one campaign); a campaign the caller may not act for, a missing one and
 * a malformed id are all `null` (the page answers 404 alike).
 */
@Injectable()
export class ConsoleStatsService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly signatures: SignaturesService,
    private readonly targets: TargetsService,
  ) {}

  async stats(principal: Principal, id: string, locale: Locale, now = new Date()): Promise<StatsView | null> {
    const campaign = await this.find(principal, id);
    if (!campaign) return null;
    const s = CONSOLE_STATS_STRINGS[locale];
    const n = (x: number) => formatNumber(x, locale);
    const zone = this.campaigns.timeZoneOf(campaign);
    const today = dayIn(zone, now);
    // A closed (or won) campaign's days end on the day it closed: months of zeros after it say nothing.
    const closed = campaign.status !== 'live' && campaign.closedAt ? dayIn(zone, campaign.closedAt) : null;
    const lastDay = closed && closed < today ? closed : today;
    // From publication, at most the last MAX_CHART_DAYS days: only these are read from the signatures.
    const startDay = dayIn(zone, campaign.publishedAt ?? campaign.createdAt);
    const windowDay = addDays(lastDay, 1 - MAX_CHART_DAYS);
    const firstDay = startDay > windowDay ? startDay : windowDay;
    const capped = firstDay > startDay;
    // Counters, letters and the same authorisation as GET /api/v1/campaigns/:id/stats; the days
    // drawn from the dashboard's query (one range of the (campaign_id, verified_at) index), from
    // 14 hours before the first day's UTC midnight: before its local midnight in any zone.
    const [api, perDay, replies] = await Promise.all([
      this.signatures.stats(principal, campaign.id),
      this.signatures.verifiedPerDay(campaign.id, zone, new Date(Date.parse(`${firstDay}T00:00:00Z`) - 14 * 3_600_000)),
      this.targets.replyTotals(campaign.id),
    ]);
    // Older days (a campaign longer than the charts): the tally's counters, so the page never reads
    // a campaign's whole history of signatures. Verified before the first day drawn: the public
    // count less the days drawn (folded within seconds); their days: the tally's (UTC) days.
    const drawn = perDay.filter((d) => d.day >= firstDay).reduce((a, d) => a + d.verified, 0);
    const series = capped ? dailySeries(perDay, firstDay, lastDay, Math.max(0, api.verified - drawn), api.byDay) : dailySeries(perDay, firstDay, lastDay);
    const shown = series.shown;
    const longDay = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' });
    const shortDay = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const dayText = (day: string) => longDay.format(new Date(`${day}T12:00:00Z`));
    const short = (day: string) => shortDay.format(new Date(`${day}T12:00:00Z`));
    const from = shown.length ? dayText(shown[0].day) : '';
    const to = shown.length ? dayText(shown[shown.length - 1].day) : '';
    const sum = shown.reduce((a, d) => a + d.count, 0);
    const peak = shown.reduce((best, d) => (d.count > best.count ? d : best), shown[0] ?? { day: today, count: 0, total: 0 });
    const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
    const rtl = locale === 'ar';
    // Axis labels from 10 000 up are written short (10k, ١٠ ألف), so they fit beside the plot.
    const compact = new Intl.NumberFormat(FORMAT_LOCALE[locale], { notation: 'compact', maximumFractionDigits: 1 });
    const tick = (x: number) => (x >= 10_000 ? compact.format(x) : n(x));
    const perDayLabel = fill(s.perDayLabel, { from, to, total: n(sum), peakDay: dayText(peak.day), peak: n(peak.count) });
    const cumulativeLabel = fill(s.cumulativeLabel, { from, to, start: n(shown[0]?.total ?? 0), end: n(shown[shown.length - 1]?.total ?? 0) });
    const cappedNote = capped ? `${plural(shown.length, locale, s.capped)} ${plural(series.before, locale, s.cappedBefore)}` : '';

    const countryTotal = api.byCountry.reduce((a, r) => a + r.verified, 0);
    const percent = new Intl.NumberFormat(FORMAT_LOCALE[locale], { style: 'percent', maximumFractionDigits: 1 });
    const collator = new Intl.Collator(locale);
    const countries = api.byCountry
      .map((r) => ({ name: countryName(r.country, locale), verified: r.verified }))
      .sort((a, b) => b.verified - a.verified || collator.compare(a.name ?? '\uffff', b.name ?? '\uffff'))
      .map((r) => ({ name: r.name ?? s.countryUnknown, unknown: r.name === null, count: n(r.verified), share: percent.format(countryTotal ? r.verified / countryTotal : 0) }));

    const stored = new Map(api.milestones.map((m) => [m.percent, m.reachedAt]));
    const whole = new Intl.NumberFormat(FORMAT_LOCALE[locale], { style: 'percent' });
    const milestones = milestonePlan(campaign.goal, series.all.length ? series.all[series.all.length - 1].total : 0).map((m) => {
      const label = m.percent === null ? plural(m.threshold, locale, s.milestoneRound) : fill(s.milestonePercent, { percent: whole.format(m.percent / 100), n: n(m.threshold) });
      const recorded = m.percent === null ? undefined : stored.get(m.percent);
      if (recorded) return { label, reached: dayText(dayIn(zone, new Date(recorded))), computed: false };
      const day = crossingDay(series.all, m.threshold);
      return { label, reached: day ? dayText(day) : s.notYet, computed: day !== null && m.percent !== null };
    });

    const repliesOf = new Map(replies.map((r) => [r.targetId, r]));
    const letters = api.letters.map((t) => {
      const r = repliesOf.get(t.targetId);
      return {
        name: t.name,
        sent: n(t.totals.sent),
        failed: n(t.totals.failed),
        bounced: n(t.totals.bounced),
        waiting: n(t.totals.queued + t.totals.sending),
        replies: n(r?.replies ?? 0),
        latestReply: r ? dayText(r.latest) : s.noReply,
      };
    });

    return {
      title: titleIn(campaign, locale),
      s,
      overview: [
        { id: 'verified', label: s.verified, value: n(api.verified) },
        { id: 'pending', label: s.pending, value: n(api.pending) },
        { id: 'held', label: s.held, value: n(api.held) },
        { id: 'invalidated', label: s.invalidated, value: n(api.invalidated) },
      ],
      hasSignatures: sum + series.before > 0,
      range: fill(s.range, { from, to, zone: zoneName(zone, locale) }),
      capped: cappedNote,
      perDay: chart('bars', shown, rtl, tick, short, perDayLabel),
      cumulative: chart('line', shown, rtl, tick, short, cumulativeLabel),
      rows: shown.map((d) => ({ day: dayText(d.day), count: n(d.count), total: n(d.total) })),
      countries,
      milestonesIntro: campaign.goal ? fill(s.milestonesGoal, { goal: n(campaign.goal) }) : s.milestonesRound,
      milestones,
      anyComputed: milestones.some((m) => m.computed),
      letters,
    };
  }

  private async find(principal: Principal, id: string) {
    if (!isUUID(id)) return null;
    try {
      return await this.campaigns.owned(principal, id, 'view');
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }
}

/** A time zone as people name it in the page's language («التوقيت العربي الرسمي», "Arabian Standard Time"). */
export function zoneName(zone: string, locale: Locale): string {
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  const placeless = resolved === 'UTC' || resolved.startsWith('Etc/');
  const parts = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { timeZone: zone, timeZoneName: placeless ? 'long' : 'longGeneric' }).formatToParts(new Date());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}
