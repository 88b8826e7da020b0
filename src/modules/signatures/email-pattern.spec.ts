import { EMAIL_PATTERN, likePattern } from './email-pattern';

describe('email pattern (invalidations)', () => {
  it('turns * into % and lowers the case', () => {
    expect(likePattern('*@Bots.Example')).toBe('%@bots.example');
    expect(likePattern('spam**+*@x.org')).toBe('spam%+%@x.org');
  });

  it('escapes LIKE characters so they match only themselves', () => {
    expect(likePattern('a_b@x.org')).toBe('a\\_b@x.org');
    expect(likePattern('a\\b*')).toBe('a\\\\b%');
  });

  it.each(['*@mailinator.com', 'bot+*@example.org', 'x_1*@example.org', 'ليلى*@example.org'])('accepts %s', (p) => {
    expect(EMAIL_PATTERN.test(p)).toBe(true);
  });

  it.each(['', '*', '***', '%@x.org', 'a b@x.org', 'a\n@x.org', '"a"@x.org', `${'a'.repeat(255)}`])('refuses %j', (p) => {
    expect(EMAIL_PATTERN.test(p)).toBe(false);
  });
});
