import { pooledRandomBytes } from './random-pool';

describe('pooledRandomBytes', () => {
  it('hands out the asked number of bytes, never the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    // 4096 / 32 = 128 values a pool: 1,000 values cross several refills.
    for (let i = 0; i < 1000; i++) {
      const value = pooledRandomBytes(32);
      expect(value).toHaveLength(32);
      seen.add(value.toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('never writes a view it handed out again (a refill takes a new buffer)', () => {
    const first = pooledRandomBytes(12);
    const copy = Buffer.from(first);
    for (let i = 0; i < 2000; i++) pooledRandomBytes(12);
    expect(first.equals(copy)).toBe(true);
  });

  it('draws small values from the pool and large ones on their own', () => {
    const a = pooledRandomBytes(12);
    const b = pooledRandomBytes(12);
    // Neighbours in one pool share its memory; a large value has its own.
    expect(a.buffer === b.buffer || b.byteOffset === 0).toBe(true);
    const large = pooledRandomBytes(1024);
    expect(large).toHaveLength(1024);
    expect(large.buffer).not.toBe(a.buffer);
    expect(pooledRandomBytes(0)).toHaveLength(0);
    expect(() => pooledRandomBytes(-1)).toThrow(RangeError);
    expect(() => pooledRandomBytes(1.5)).toThrow(RangeError);
  });

  it('looks random: every byte value turns up, none far more than its share', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2048; i++) for (const byte of pooledRandomBytes(32)) counts[byte]++;
    // 65,536 bytes: 256 of each value expected; a broken pool (zeros, a repeated block) fails this.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(380);
  });
});
