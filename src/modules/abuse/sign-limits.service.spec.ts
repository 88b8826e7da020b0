import type { AbuseSettings, AppSettings } from '../../config/environment';
import type { RedisClient } from '../../infra/redis/redis-connection';
import { SignLimitsService } from './sign-limits.service';
import type { LimitReason } from './dto/sign-verdict.dto';

/**
 * A Redis that runs the limits script's contract in memory (the script itself runs against a real
 * Redis in test/e2e/sign-limits.e2e-spec.ts): ARGV = [signatures, then for each its counter count k
 * and k (points, window ms) pairs], KEYS = every counter in order; the answer is each signature's
 * first counter over its points (1-based) or 0. Each call waits until `answer()` lets it through
 * when `held` is set.
 */
class FakeRedis {
  readonly counters = new Map<string, number>();
  readonly calls: { signatures: number; keys: string[] }[] = [];
  held = false;
  fail: Error | null = null;
  private readonly gates: (() => void)[] = [];

  defineCommand(name: string): void {
    (this as unknown as Record<string, unknown>)[name] = (keyCount: number, ...rest: (string | number)[]) => this.consume(keyCount, rest);
  }

  /** Lets the oldest held call answer. */
  answer(): void {
    this.gates.shift()?.();
  }

  /** Lets every call held now answer. */
  answerAll(): void {
    for (const gate of this.gates.splice(0)) gate();
  }

  private async consume(keyCount: number, rest: (string | number)[]): Promise<number[]> {
    const keys = rest.slice(0, keyCount).map(String);
    const argv = rest.slice(keyCount).map(Number);
    this.calls.push({ signatures: argv[0], keys });
    if (this.held) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.fail) throw this.fail;
    const answers: number[] = [];
    let a = 1;
    let k = 0;
    for (let s = 0; s < argv[0]; s++) {
      const count = argv[a];
      let over = 0;
      for (let i = 1; i <= count; i++) {
        const n = (this.counters.get(keys[k]) ?? 0) + 1;
        this.counters.set(keys[k], n);
        if (over === 0 && n > argv[a + 2 * i - 1]) over = i;
        k++;
      }
      a += 1 + 2 * count;
      answers.push(over);
    }
    return answers;
  }
}

const settings = { SIGN_LIMIT_IP_BURST: 2, SIGN_LIMIT_IP_HOUR: 100, SIGN_LIMIT_DOMAIN_HOUR: 3, SIGN_LIMIT_EMAIL_HOUR: 100 } as AbuseSettings;
const app = { APP_SECRET: 'unit-secret-unit-secret-unit-secret-0123' } as AppSettings;

const subject = (i: number, client = `198.51.100.${i}`) => ({ client, domain: `d${i}.example.org`, emailKey: `s${i}@d${i}.example.org` });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SignLimitsService', () => {
  let redis: FakeRedis;
  let limits: SignLimitsService;

  beforeEach(() => {
    redis = new FakeRedis();
    limits = new SignLimitsService(redis as unknown as RedisClient, settings, app);
  });

  it('counts a lone signature at once, in one call over its four counters, keyed by hashes only', async () => {
    expect(await limits.consume(subject(1))).toBeNull();
    expect(redis.calls).toHaveLength(1);
    expect(redis.calls[0].signatures).toBe(1);
    expect(redis.calls[0].keys.map((k) => k.split(':').slice(0, 2).join(':'))).toEqual([
      '{sign-limit}:ip-burst',
      '{sign-limit}:ip-hour',
      '{sign-limit}:domain-hour',
      '{sign-limit}:email-hour',
    ]);
    expect(redis.calls[0].keys.join(' ')).not.toMatch(/198\.51|example\.org/);
  });

  it('skips the counters whose subject is unknown and gives the first limit gone over', async () => {
    const noClient = { client: null, domain: 'small.example.org', emailKey: 'a@small.example.org' };
    expect(await limits.consume(noClient)).toBeNull();
    expect(redis.calls[0].keys).toHaveLength(2);
    const sameAddress = (i: number) => ({ client: '203.0.113.9', domain: null, emailKey: `x${i}@gmail.com` });
    expect(await limits.consume(sameAddress(1))).toBeNull();
    expect(await limits.consume(sameAddress(2))).toBeNull();
    expect(await limits.consume(sameAddress(3))).toBe('ip_burst');
    // The domain's third signer passes, the fourth is over SIGN_LIMIT_DOMAIN_HOUR (3).
    expect(await limits.consume({ ...noClient, emailKey: 'b@small.example.org' })).toBeNull();
    expect(await limits.consume({ ...noClient, emailKey: 'c@small.example.org' })).toBeNull();
    expect(await limits.consume({ ...noClient, emailKey: 'd@small.example.org' })).toBe('domain_hour');
  });

  /** Eight signatures, each in a turn of the event loop of its own, whose calls are in flight (held): the most a process runs at once. */
  const eightInFlight = async () => {
    redis.held = true;
    const eight: Promise<LimitReason | null>[] = [];
    for (let i = 0; i < 8; i++) {
      eight.push(limits.consume(subject(100 + i)));
      await flush();
    }
    expect(redis.calls.map((c) => c.signatures)).toEqual(Array(8).fill(1));
    return eight;
  };

  it('sends the signatures of one turn of the event loop in one call, and a later one at once in a call of its own while fewer than eight are in flight', async () => {
    redis.held = true;
    const three = [limits.consume(subject(1)), limits.consume(subject(2)), limits.consume(subject(3))];
    // Not before the end of the turn: more may come in it.
    expect(redis.calls).toHaveLength(0);
    await flush();
    expect(redis.calls.map((c) => c.signatures)).toEqual([3]);
    const fourth = limits.consume(subject(4));
    await flush();
    expect(redis.calls.map((c) => c.signatures)).toEqual([3, 1]);
    redis.answerAll();
    expect(await Promise.all([...three, fourth])).toEqual([null, null, null, null]);
  });

  it('sends the signatures that arrive while eight calls run together in the next one, each with its own answer', async () => {
    const eight = await eightInFlight();
    // Five more: the third of one address goes over its burst (2).
    const rest = [limits.consume(subject(2)), limits.consume(subject(7, '192.0.2.1')), limits.consume(subject(8, '192.0.2.1')), limits.consume(subject(9, '192.0.2.1')), limits.consume(subject(3))];
    await flush();
    expect(redis.calls).toHaveLength(8);
    redis.answer();
    await flush();
    expect(redis.calls.map((c) => c.signatures)).toEqual([...Array(8).fill(1), 5]);
    expect(redis.calls[8].keys).toHaveLength(20);
    redis.held = false;
    redis.answerAll();
    expect(await Promise.all(eight)).toEqual(Array(8).fill(null));
    expect(await Promise.all(rest)).toEqual([null, null, null, 'ip_burst', null]);
  });

  it('puts at most 64 signatures in one call', async () => {
    const eight = await eightInFlight();
    const many = Array.from({ length: 100 }, (_, i) => limits.consume(subject(1000 + i)));
    redis.held = false;
    redis.answer();
    await Promise.all(many);
    redis.answerAll();
    await Promise.all(eight);
    const batches = redis.calls.slice(8).map((c) => c.signatures);
    expect(batches).toEqual([64, 36]);
  });

  it('fails a whole batch when the call fails, and the next batch goes on', async () => {
    const eight = await eightInFlight();
    const waiting = [limits.consume(subject(2)), limits.consume(subject(3))];
    redis.fail = new Error('NOSCRIPT or worse');
    redis.answerAll();
    for (const one of eight) await expect(one).rejects.toThrow('NOSCRIPT or worse');
    await flush();
    expect(redis.calls.map((c) => c.signatures)).toEqual([...Array(8).fill(1), 2]);
    redis.fail = null;
    redis.answerAll();
    expect(await Promise.all(waiting)).toEqual([null, null]);
  });

  describe('when Redis does not answer', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
    afterEach(() => jest.useRealTimers());

    it('no signature waits more than a second from its arrival, even behind calls that hang', async () => {
      const eight = (await eightInFlight()).map((p) => p.catch((e: Error) => e));
      jest.advanceTimersByTime(600);
      const ninth = limits.consume(subject(2)).catch((e: Error) => e);
      await flush();
      expect(redis.calls).toHaveLength(8);
      jest.advanceTimersByTime(400); // the eight time out at 1000 ms; the ninth is sent, due at 1600 ms
      expect(await Promise.all(eight)).toEqual(Array(8).fill(new Error('Redis did not answer within 1000 ms')));
      await flush();
      expect(redis.calls.map((c) => c.signatures)).toEqual(Array(9).fill(1));
      jest.advanceTimersByTime(599);
      await flush();
      let settled = false;
      void ninth.then(() => (settled = true));
      await flush();
      expect(settled).toBe(false);
      jest.advanceTimersByTime(1);
      expect(await ninth).toEqual(new Error('Redis did not answer within 1000 ms'));
    });
  });

  it('counts a request of another route in a call of its own, under its own key', async () => {
    expect(await limits.consumeRequest('erasure', '198.51.100.1', 1, 3600)).toBe(false);
    expect(await limits.consumeRequest('erasure', '198.51.100.1', 1, 3600)).toBe(true);
    expect(redis.calls.map((c) => c.keys.map((k) => k.split(':').slice(0, 2).join(':')))).toEqual([['request-limit:erasure'], ['request-limit:erasure']]);
  });
});
