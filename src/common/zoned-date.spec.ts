import { dayIn } from './zoned-date';

describe('dayIn', () => {
  it('gives the day it is in a zone, which may differ from the UTC day', () => {
    const at = new Date('2026-11-29T22:30:00Z');
    expect(dayIn('UTC', at)).toBe('2026-11-29');
    expect(dayIn('Asia/Baghdad', at)).toBe('2026-11-30');
    expect(dayIn('America/New_York', at)).toBe('2026-11-29');
    expect(dayIn('Pacific/Kiritimati', new Date('2026-12-31T10:00:00Z'))).toBe('2027-01-01');
  });
});
