import { dayStart, formatInstant, isDay } from './console-supporters.service';

describe('console supporters: days in a campaign zone', () => {
  it('knows a real calendar day from anything else', () => {
    for (const day of ['2026-03-31', '2024-02-29', '1970-01-01']) expect(isDay(day)).toBe(true);
    for (const day of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-3-1', '1969-12-31', '', 'yesterday', '2026-03-31T00:00:00Z']) expect(isDay(day)).toBe(false);
  });

  it('turns a day into the instant it begins in the zone (and the next day for a last day)', () => {
    expect(dayStart('2026-03-10', 'Asia/Baghdad')).toBe('2026-03-09T21:00:00.000Z');
    expect(dayStart('2026-03-10', 'Asia/Baghdad', true)).toBe('2026-03-10T21:00:00.000Z');
    expect(dayStart('2026-03-10', 'UTC')).toBe('2026-03-10T00:00:00.000Z');
    expect(dayStart('2026-12-31', 'UTC', true)).toBe('2027-01-01T00:00:00.000Z');
    // Across a change of offset: London moves to UTC+1 on 29 March 2026.
    expect(dayStart('2026-03-29', 'Europe/London')).toBe('2026-03-29T00:00:00.000Z');
    expect(dayStart('2026-03-30', 'Europe/London')).toBe('2026-03-29T23:00:00.000Z');
    expect(dayStart('2026-03-29', 'Europe/London', true)).toBe('2026-03-29T23:00:00.000Z');
  });

  it('writes an instant in the zone, with Arabic-Indic digits on an Arabic page', () => {
    expect(formatInstant('2026-03-09T21:30:00Z', 'Asia/Baghdad', 'en')).toContain('10 Mar 2026');
    expect(formatInstant('2026-03-09T21:30:00Z', 'Asia/Baghdad', 'ar')).toMatch(/١٠/);
    expect(formatInstant('2026-03-09T21:30:00Z', 'Asia/Baghdad', 'ar')).not.toMatch(/[0-9]/);
  });
});
