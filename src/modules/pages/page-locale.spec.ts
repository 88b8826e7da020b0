import { negotiateLocale } from './page-locale';

describe('negotiateLocale', () => {
  it('takes the first of our languages the header prefers', () => {
    expect(negotiateLocale('ar-IQ,ar;q=0.9,en;q=0.8', 'en')).toBe('ar');
    expect(negotiateLocale('fr-FR,en-GB;q=0.7,ar;q=0.5', 'ar')).toBe('en');
  });

  it('weighs quality values, not only order', () => {
    expect(negotiateLocale('en;q=0.4, ar;q=0.8', 'en')).toBe('ar');
  });

  it('falls back when the header names neither or refuses them', () => {
    expect(negotiateLocale(undefined, 'ar')).toBe('ar');
    expect(negotiateLocale('de, fr;q=0.5', 'en')).toBe('en');
    expect(negotiateLocale('ar;q=0', 'en')).toBe('en');
    expect(negotiateLocale('ar;q=abc, *', 'en')).toBe('en');
  });
});
