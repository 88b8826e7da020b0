import { EMAIL_PATTERN, emailPatternRegExp } from './email-pattern';

describe('email pattern (invalidations)', () => {
  it('* stands for any characters, case does not matter, the whole address must match', () => {
    const bots = emailPatternRegExp('*@Bots.Example');
    expect(bots.test('x1@bots.example')).toBe(true);
    expect(bots.test('X1@BOTS.EXAMPLE')).toBe(true);
    expect(bots.test('x1@bots.example.org')).toBe(false);
    expect(emailPatternRegExp('spam**+*@x.org').test('spam1+a@x.org')).toBe(true);
    expect(emailPatternRegExp('spam**+*@x.org').test('spam1a@x.org')).toBe(false);
  });

  it('every other character matches only itself', () => {
    expect(emailPatternRegExp('a_b@x.org').test('a_b@x.org')).toBe(true);
    expect(emailPatternRegExp('a_b@x.org').test('acb@x.org')).toBe(false);
    expect(emailPatternRegExp('a.b@x.org').test('axb@x.org')).toBe(false);
    expect(emailPatternRegExp('BOT-*@bots.example').test('bot-7@bots.example')).toBe(true);
    expect(emailPatternRegExp("a-b_c~d!e#f&g'h=i`j{k}l@x.org").test("a-b_c~d!e#f&g'h=i`j{k}l@x.org")).toBe(true);
    expect(emailPatternRegExp('a\\b*').test('a\\bc')).toBe(true);
    expect(emailPatternRegExp('(a)+[b]?$@x.org').test('(a)+[b]?$@x.org')).toBe(true);
    expect(emailPatternRegExp('ليلى*@example.org').test('ليلى.حسن@example.org')).toBe(true);
  });

  it.each(['*@mailinator.com', 'bot+*@example.org', 'x_1*@example.org', 'ليلى*@example.org'])('accepts %s', (p) => {
    expect(EMAIL_PATTERN.test(p)).toBe(true);
  });

  it.each(['', '*', '***', '%@x.org', 'a b@x.org', 'a\n@x.org', '"a"@x.org', `${'a'.repeat(255)}`])('refuses %j', (p) => {
    expect(EMAIL_PATTERN.test(p)).toBe(false);
  });
});
