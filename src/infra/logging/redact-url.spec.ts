import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('drops confirmation tokens and query strings', () => {
    expect(redactUrl('/confirm/abcDEF123')).toBe('/confirm/[token]');
    expect(redactUrl('/ar/confirm/abcDEF123?x=1')).toBe('/ar/confirm/[token]');
    expect(redactUrl('/api/v1/campaigns?page=2')).toBe('/api/v1/campaigns');
  });
});
