import { jsonNestsDeeperThan, nulCharacterAt } from './body-parsers';

describe('jsonNestsDeeperThan', () => {
  it('counts objects and arrays inside each other', () => {
    expect(jsonNestsDeeperThan('{"a":{"b":[1,[2]]}}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":[1,[2]]}}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
    expect(jsonNestsDeeperThan('['.repeat(5000), 32)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[["' }), 1)).toBe(false);
  });
});

describe('nulCharacterAt', () => {
  it('names the first key or string holding U+0000, nested ones too', () => {
    expect(nulCharacterAt({ name: 'Layla', city: 'Bas\u0000ra' })).toBe('city');
    expect(nulCharacterAt({ translations: { en: { title: 'x\u0000' } } })).toBe('translations.en.title');
    expect(nulCharacterAt({ days: [1, 'a\u0000'] })).toBe('days.1');
    expect(nulCharacterAt({ ['k\u0000']: 1 })).toBe('k\\u0000');
    expect(nulCharacterAt('\u0000')).toBe('(body)');
  });

  it('finds nothing in clean values, ZWNJ and other format characters included', () => {
    expect(nulCharacterAt({ name: 'امیر\u200cحسین', n: 1, b: true, z: null, list: ['a'] })).toBeNull();
  });
});
