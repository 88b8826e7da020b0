import { REDIS } from '../../src/infra/redis/redis.module';
import type { RedisClient } from '../../src/infra/redis/redis-connection';
import { SignLimitsService } from '../../src/modules/abuse/sign-limits.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The signing limits' script on a real Redis: many signatures at once are counted in a few batched
 * calls, each signer's counters exactly (no more pass any limit than its points, whatever batch they
 * were in), every counter with its window.
 */
describe('signing limits counted in batches (e2e, real Redis)', () => {
  let t: TestApp;
  let limits: SignLimitsService;
  let calls: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp({ SIGN_LIMITS: 'on', SIGN_LIMIT_IP_BURST: '5', SIGN_LIMIT_IP_HOUR: '1000', SIGN_LIMIT_DOMAIN_HOUR: '7', SIGN_LIMIT_EMAIL_HOUR: '2' });
    limits = t.app.get(SignLimitsService);
    const redis = t.app.get<RedisClient & { signLimitsConsume: () => Promise<number[]> }>(REDIS);
    calls = jest.spyOn(redis, 'signLimitsConsume'); // calls through to Redis: counted, not replaced
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts 120 signatures arriving together exactly, in two calls (at most 64 signatures a call)', async () => {
    calls.mockClear();
    const oneAddress = Array.from({ length: 40 }, (_, i) => ({ client: '203.0.113.50', domain: null, emailKey: `a${i}@gmail.com` }));
    const oneDomain = Array.from({ length: 40 }, (_, i) => ({ client: `198.51.100.${i + 1}`, domain: 'small.example.org', emailKey: `d${i}@small.example.org` }));
    const oneEmail = Array.from({ length: 40 }, (_, i) => ({ client: `192.0.2.${i + 1}`, domain: null, emailKey: 'same@gmail.com' }));
    // Interleaved, so every batch mixes the three kinds.
    const all = oneAddress.flatMap((s, i) => [s, oneDomain[i], oneEmail[i]]);
    const answers = await Promise.all(all.map((s) => limits.consume(s)));

    const of = (kind: number) => answers.filter((_, i) => i % 3 === kind);
    expect(of(0).filter((a) => a === null)).toHaveLength(5);
    expect(of(0).filter((a) => a !== null)).toEqual(Array(35).fill('ip_burst'));
    expect(of(1).filter((a) => a === null)).toHaveLength(7);
    expect(of(1).filter((a) => a !== null)).toEqual(Array(33).fill('domain_hour'));
    expect(of(2).filter((a) => a === null)).toHaveLength(2);
    expect(of(2).filter((a) => a !== null)).toEqual(Array(38).fill('email_hour'));
    // All arrived in one turn of the event loop: they go together at its end, in calls of at most 64.
    // (A call's arguments: the key count, the keys, then how many signatures.)
    expect(calls.mock.calls.map((args: unknown[]) => Number(args[1 + Number(args[0])]))).toEqual([64, 56]);
  });

  it('gives every counter its window, and a later signer of the same address is still held', async () => {
    // This client has no key prefix: the keys come whole.
    const keys = await t.redis.keys(`${t.env.REDIS_PREFIX}:{sign-limit}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const byLimit = new Map<string, number[]>();
    for (const key of keys) {
      const limit = key.slice(t.env.REDIS_PREFIX.length + 1).split(':')[1];
      byLimit.set(limit, [...(byLimit.get(limit) ?? []), await t.redis.pttl(key)]);
    }
    expect([...byLimit.keys()].sort()).toEqual(['domain-hour', 'email-hour', 'ip-burst', 'ip-hour']);
    for (const ttl of byLimit.get('ip-burst')!) expect(ttl > 0 && ttl <= 60_000).toBe(true);
    for (const limit of ['domain-hour', 'email-hour', 'ip-hour']) for (const ttl of byLimit.get(limit)!) expect(ttl > 60_000 && ttl <= 3_600_000).toBe(true);
    expect(await limits.consume({ client: '203.0.113.50', domain: null, emailKey: 'later@gmail.com' })).toBe('ip_burst');
    expect(await limits.consume({ client: '203.0.113.51', domain: null, emailKey: 'later@gmail.com' })).toBeNull();
  });
});
