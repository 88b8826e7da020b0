import { SLUG_MAX_LENGTH, SLUG_PATTERN, slugify, withSuffix } from './campaign-slug';

describe('slugify', () => {
  it('makes an English title lower-case with single hyphens', () => {
    expect(slugify('  Free the Marshes -- NOW!  ')).toBe('free-the-marshes-now');
  });

  it('keeps Arabic letters, hamza and madda included, and drops vowel marks and tatweel', () => {
    expect(slugify('أَيْنَ سليـــم راضي؟')).toBe('أين-سليم-راضي');
    expect(slugify('المسؤول عن آبار الأهوار ومسائل')).toBe('المسؤول-عن-آبار-الأهوار-ومسائل');
  });

  it('turns Arabic-Indic digits into ASCII digits', () => {
    expect(slugify('قانون ٢٠٢٤ و ۱۲')).toBe('قانون-2024-و-12');
  });

  it('drops Latin accents', () => {
    expect(slugify('Éducation à Bassorah')).toBe('education-a-bassorah');
  });

  it('never returns an empty slug', () => {
    expect(slugify('!!! ???')).toBe('campaign');
    expect(slugify('')).toBe('campaign');
  });

  it('cuts long titles at a word boundary within the limit', () => {
    const slug = slugify('word '.repeat(40));
    expect([...slug].length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug).toMatch(/^word(-word)+$/);
  });

  it('cuts one over-long word', () => {
    expect([...slugify('x'.repeat(200))].length).toBe(SLUG_MAX_LENGTH);
  });

  it('always produces a slug its own pattern accepts', () => {
    for (const title of ['Free the Marshes', 'أين سليم؟', '١٢٣ abc', '—', 'A&B: C/D']) {
      expect(slugify(title)).toMatch(SLUG_PATTERN);
    }
  });
});

describe('withSuffix', () => {
  it('adds a suffix and stays within the limit', () => {
    expect(withSuffix('free-the-marshes', '2')).toBe('free-the-marshes-2');
    const long = withSuffix('a'.repeat(SLUG_MAX_LENGTH), 'abc123');
    expect(long.length).toBe(SLUG_MAX_LENGTH);
    expect(long.endsWith('-abc123')).toBe(true);
  });
});
