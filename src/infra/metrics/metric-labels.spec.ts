import { bearerMatches, methodLabel, routeLabel, SharedRead, statusClass, within } from './metric-labels';

describe('metric labels', () => {
  it('keeps known methods and folds any other into `other`', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(methodLabel)).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(['PROPFIND', 'get', 'M-SEARCH'].map(methodLabel)).toEqual(['other', 'other', 'other']);
  });

  it('labels a request by its route pattern, `unmatched` when it matched none', () => {
    expect(routeLabel('/api/v1/campaigns/:slug/signatures')).toBe('/api/v1/campaigns/:slug/signatures');
    expect(routeLabel(undefined)).toBe('unmatched');
    expect(routeLabel('')).toBe('unmatched');
  });

  it('gives the class of a status', () => {
    expect([200, 202, 301, 404, 429, 503].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx']);
    expect([0, 99, 600].map(statusClass)).toEqual(['other', 'other', 'other']);
  });
});

describe('bearerMatches', () => {
  const token = 'a-metrics-token-of-at-least-32-characters';

  it('accepts `Bearer <token>` only', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches('', token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(`Basic ${token}`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token} extra`, token)).toBe(false);
  });
});

describe('within', () => {
  it('answers what the promise answers in time, and a TimeoutError after', async () => {
    await expect(within(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('no')), 50)).rejects.toThrow('no');
    await expect(within(new Promise(() => undefined), 20)).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('SharedRead', () => {
  it('shares a read in flight and starts a new one once it settled', async () => {
    let calls = 0;
    let release: (n: number) => void = () => undefined;
    const shared = new SharedRead(() => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const a = shared.get();
    const b = shared.get();
    await Promise.resolve();
    expect(calls).toBe(1);
    release(1);
    await expect(Promise.all([a, b])).resolves.toEqual([1, 1]);
    const c = shared.get();
    await Promise.resolve();
    expect(calls).toBe(2);
    release(2);
    await expect(c).resolves.toBe(2);
  });

  it('starts again after a failed read, and turns a synchronous throw into a rejection', async () => {
    let calls = 0;
    const shared = new SharedRead<number>(() => {
      calls++;
      throw new Error('down');
    });
    await expect(shared.get()).rejects.toThrow('down');
    await expect(shared.get()).rejects.toThrow('down');
    expect(calls).toBe(2);
  });
});
