import { LetterValues, renderLetter, unknownPlaceholders } from './letter-template';

const values = (over: Partial<LetterValues> = {}): LetterValues => ({
  'supporter.name': 'Layla Hassan',
  'supporter.city': 'Basra',
  'supporter.comment': null,
  'campaign.title': 'Protect the marshes',
  'target.name': 'Director',
  count: 1234,
  ...over,
});

describe('unknownPlaceholders', () => {
  it('lists what is not a known placeholder', () => {
    expect(unknownPlaceholders('Dear {{target.name}}, {{ supporter.name }} {{constructor}} {{#each x}}')).toEqual([
      'constructor',
      '#each x',
    ]);
    expect(unknownPlaceholders('{{count}} people')).toEqual([]);
  });
});

describe('renderLetter', () => {
  it('fills every placeholder, numbers in the letter language', () => {
    const en = renderLetter({ subject: '{{count}} for {{campaign.title}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} of {{supporter.city}}' }, values(), 'en');
    expect(en.subject).toBe('1,234 for Protect the marshes');
    expect(en.text).toBe('Dear Director,\n\nLayla Hassan of Basra');
    const ar = renderLetter({ subject: '{{count}}', body: '{{supporter.name}}' }, values({ 'supporter.name': 'ليلى' }), 'ar');
    expect(ar.subject).toBe('١٬٢٣٤');
    expect(ar.html).toContain('dir="rtl"');
  });

  it('keeps the subject on one line whatever a name holds', () => {
    const r = renderLetter({ subject: 'From {{supporter.name}}', body: 'x' }, values({ 'supporter.name': 'Eve\r\nBcc: victim@example.org' }), 'en');
    expect(r.subject).toBe('From Eve Bcc: victim@example.org');
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  it('escapes values and the organiser text in HTML', () => {
    const r = renderLetter(
      { subject: 's', body: 'A <b>bold</b> claim\n\nfrom {{supporter.name}}' },
      values({ 'supporter.name': '<script>alert(1)</script>' }),
      'en',
    );
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('A &lt;b&gt;bold&lt;/b&gt; claim');
    expect(r.html).not.toContain('<script>');
    expect(r.html.match(/<p>/g)).toHaveLength(2);
  });

  it('leaves unknown placeholders empty rather than evaluating them', () => {
    expect(renderLetter({ subject: '{{constructor}}', body: '{{__proto__}}' }, values(), 'en')).toMatchObject({ subject: '', text: '' });
  });
});
