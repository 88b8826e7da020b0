import { decodeCursor, encodeCursor } from './keyset-cursor';

describe('keyset cursor', () => {
  const cursor = { at: '2026-05-01T10:00:00.123456Z', id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' };

  it('round-trips, microseconds included', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['too long', 'A'.repeat(121)],
    ['a time without microseconds', Buffer.from(`2026-05-01T10:00:00.123Z|${cursor.id}`).toString('base64url')],
    ['a day that does not exist', Buffer.from(`2026-02-30T10:00:00.123456Z|${cursor.id}`).toString('base64url')],
    ['an id that is no uuid', Buffer.from(`${cursor.at}|1; DROP TABLE signatures`).toString('base64url')],
    ['a third part', Buffer.from(`${cursor.at}|${cursor.id}|x`).toString('base64url')],
    ['SQL', `'; DROP TABLE signatures; --`],
  ])('refuses %s', (_, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});
