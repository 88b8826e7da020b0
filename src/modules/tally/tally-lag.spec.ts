import { TallyLag } from './tally-lag';

describe('TallyLag', () => {
  const S = 1000;

  it('is 0 with nothing unfolded, and 0 at the first scrape that sees an event', () => {
    const lag = new TallyLag();
    expect(lag.observe(null, null, 0)).toBe(0);
    expect(lag.observe(5n, 5n, 10 * S)).toBe(0);
  });

  it('grows while the oldest event stays unfolded, from the first scrape that saw it', () => {
    const lag = new TallyLag();
    lag.observe(5n, 5n, 0);
    expect(lag.observe(5n, 9n, 15 * S)).toBe(15);
    expect(lag.observe(5n, 12n, 30 * S)).toBe(30);
  });

  it('dates an event first seen behind another from the scrape whose highest id covered it', () => {
    const lag = new TallyLag();
    lag.observe(5n, 7n, 0); // 6 and 7 exist at t=0
    lag.observe(5n, 20n, 15 * S);
    // 5 folded; 6 is now the oldest and existed at t=0.
    expect(lag.observe(6n, 20n, 30 * S)).toBe(30);
    // 6 and 7 folded: 8 appeared by t=15.
    expect(lag.observe(8n, 20n, 45 * S)).toBe(30);
  });

  it('starts again once everything is folded', () => {
    const lag = new TallyLag();
    lag.observe(5n, 5n, 0);
    expect(lag.observe(null, null, 15 * S)).toBe(0);
    expect(lag.observe(9n, 9n, 30 * S)).toBe(0);
    expect(lag.observe(9n, 9n, 45 * S)).toBe(15);
  });

  it('keeps the earliest bound when it drops entries past its cap', () => {
    const lag = new TallyLag(3);
    for (let i = 0; i < 10; i++) lag.observe(1n, BigInt(i + 1), i * S);
    expect(lag.observe(1n, 100n, 60 * S)).toBe(60);
  });
});
