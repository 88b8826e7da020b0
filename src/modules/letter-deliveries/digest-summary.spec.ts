import { digestSummary } from './digest-summary';

describe('digestSummary', () => {
  // 21:30 UTC on 27 November: already the 28th in Baghdad, still the 27th in New York.
  const since = new Date('2026-11-27T21:30:00Z');
  const first = (locale: 'ar' | 'en', added: number, zone = 'Asia/Baghdad') => digestSummary(locale, added, 120, since, [], zone).split('\n')[0];

  it.each([
    [1, 'انضم مؤيد جديد واحد'],
    [2, 'انضم مؤيدان جديدان'],
    [3, 'انضم ٣ مؤيدين جدد'],
    [10, 'انضم ١٠ مؤيدين جدد'],
    [11, 'انضم ١١ مؤيداً جديداً'],
    [100, 'انضم ١٠٠ مؤيد جديد'],
  ])('says in Arabic that %i joined as «%s»', (added, words) => {
    expect(first('ar', added)).toBe(`${words} منذ ٢٨ نوفمبر ٢٠٢٦، فصار عدد الموقّعين ١٢٠.`);
  });

  it.each([
    [1, '1 new supporter'],
    [3, '3 new supporters'],
  ])('says it in English (%i)', (added, words) => {
    expect(first('en', added, 'America/New_York')).toBe(`${words} since 27 November 2026; 120 in all.`);
  });

  it('writes the day in the given zone, never as an ISO date', () => {
    expect(first('en', 2, 'Asia/Baghdad')).toContain('since 28 November 2026');
    expect(first('en', 2, 'UTC')).toContain('since 27 November 2026');
    expect(digestSummary('ar', 2, 3, since, ['ليلى (البصرة)'], 'UTC')).not.toMatch(/\d{4}-\d\d-\d\d|[0-9]/);
  });
});
