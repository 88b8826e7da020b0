import { safeError } from './safe-error';

describe('safeError', () => {
  it('keeps class, code and frames but never the message', () => {
    const error = Object.assign(new Error('Key (email_key)=(layla@gmail.com) already exists.'), { code: '23505' });
    const safe = safeError(error);
    expect(safe).toMatchObject({ type: 'Error', code: '23505' });
    expect(safe.frames).toMatch(/^\s+at /);
    expect(JSON.stringify(safe)).not.toContain('layla');
  });

  it('copes with things that are not errors', () => {
    expect(safeError('boom')).toEqual({ type: 'string' });
  });
});
