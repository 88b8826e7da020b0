import { cardFingerprint, cardHtml, countMilestone } from './share-card';
import { sniffFormat } from './photo-pipeline';

describe('share cards', () => {
  it('draws the count at milestones 1, 2, 5, 10, 20, 50…', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 19, 20, 49, 50, 99, 100, 12345].map(countMilestone)).toEqual([0, 1, 2, 2, 5, 5, 10, 10, 20, 20, 50, 50, 100, 10000]);
  });

  it('changes its fingerprint with the title, the photo or a milestone, not with every signature', () => {
    const base = { locale: 'ar' as const, title: 'أين سليم؟', organisation: 'تحالف', count: 12, imageHash: 'a' };
    expect(cardFingerprint({ ...base, count: 19 })).toBe(cardFingerprint(base));
    expect(cardFingerprint({ ...base, count: 20 })).not.toBe(cardFingerprint(base));
    expect(cardFingerprint({ ...base, title: 'أين سليم راضي؟' })).not.toBe(cardFingerprint(base));
    expect(cardFingerprint({ ...base, imageHash: null })).not.toBe(cardFingerprint(base));
  });

  it('writes Arabic right to left with its digits and forms, and escapes the campaign text', () => {
    const html = cardHtml({ locale: 'ar', title: '<script>x</script>', organisation: 'تحالف & شركاء', count: 12, imageHash: null }, null);
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('١٢ توقيعاً');
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('تحالف &#38; شركاء');
  });
});

describe('sniffFormat', () => {
  it('reads JPEG, PNG and WebP from their first bytes, and nothing else', () => {
    expect(sniffFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffFormat(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffFormat(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
  });
});
