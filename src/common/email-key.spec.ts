import { emailKey } from './email-key';

describe('emailKey', () => {
  it('lower-cases and trims', () => {
    expect(emailKey('  Layla.Hassan@Example.ORG ')).toBe('layla.hassan@example.org');
  });

  it('drops dots and +tags at Gmail, on both its domains', () => {
    expect(emailKey('L.a.y.l.a+petition@gmail.com')).toBe('layla@gmail.com');
    expect(emailKey('layla@googlemail.com')).toBe('layla@gmail.com');
  });

  it('drops +tags at other large providers but keeps their dots', () => {
    expect(emailKey('ali.k+nida@outlook.com')).toBe('ali.k@outlook.com');
    expect(emailKey('ali+x@icloud.com')).toBe('ali@icloud.com');
  });

  it('keeps +tags and dots elsewhere, where they may be other people', () => {
    expect(emailKey('ali+x@example.org')).toBe('ali+x@example.org');
    expect(emailKey('a.li@example.org')).not.toBe(emailKey('ali@example.org'));
  });
});
