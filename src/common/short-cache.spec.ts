import { ShortCache } from './short-cache';

describe('ShortCache', () => {
  afterEach(() => jest.useRealTimers());

  it('shares one load between concurrent misses and keeps the value for its lifetime', async () => {
    jest.useFakeTimers({ now: 1_000 });
    const cache = new ShortCache<number>(500);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    jest.setSystemTime(1_499);
    expect(await cache.get('a', load)).toBe(1);
    jest.setSystemTime(1_500);
    expect(await cache.get('a', load)).toBe(2);
    expect(await cache.get('b', load)).toBe(3);
  });

  it('does not keep a failed load', async () => {
    const cache = new ShortCache<number>(10_000);
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.get('a', async () => 7)).resolves.toBe(7);
  });

  it('is off with a lifetime of 0', async () => {
    const cache = new ShortCache<number>(0);
    let loads = 0;
    await cache.get('a', async () => ++loads);
    await cache.get('a', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('peeks at a loaded, fresh value only: not while it loads, not once stale, never when off', async () => {
    jest.useFakeTimers({ now: 1_000 });
    const cache = new ShortCache<number | null>(500);
    let finish: (n: number | null) => void = () => undefined;
    const loading = cache.get('a', () => new Promise((resolve) => (finish = resolve)));
    expect(cache.peek('a')).toBeUndefined();
    finish(null);
    await loading;
    expect(cache.peek('a')).toEqual({ value: null });
    jest.setSystemTime(1_499);
    expect(cache.peek('a')).toEqual({ value: null });
    jest.setSystemTime(1_500);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBeUndefined();
    const off = new ShortCache<number>(0);
    await off.get('a', async () => 1);
    expect(off.peek('a')).toBeUndefined();
  });
});
