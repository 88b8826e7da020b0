import { BlindIndex } from './blind-index';
import { Keyring } from './keyring';

const k = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });

describe('Keyring', () => {
  const ring = new Keyring([k('k2', 2), k('k1', 1)]);

  it('seals under the first key, recording its id, and opens what it sealed (Arabic included)', () => {
    for (const text of ['layla@example.org', 'ليلى حسن', '', 'a'.repeat(5000)]) {
      const sealed = ring.seal('signature.name', text);
      expect(sealed).toMatch(/^k2:[A-Za-z0-9+/]+={0,2}$/);
      expect(sealed).not.toContain(text || '\u0000');
      expect(ring.keyIdOf(sealed)).toBe('k2');
      expect(ring.open('signature.name', sealed)).toBe(text);
    }
    expect(ring.currentKeyId).toBe('k2');
  });

  it('never seals the same text to the same value (a fresh nonce each time)', () => {
    expect(ring.seal('signature.email', 'x@example.org')).not.toBe(ring.seal('signature.email', 'x@example.org'));
  });

  it('opens values sealed under any listed key, and none under a key it lacks', () => {
    const old = new Keyring([k('k1', 1)]);
    const sealed = old.seal('signature.city', 'Basra');
    expect(ring.open('signature.city', sealed)).toBe('Basra');
    expect(() => new Keyring([k('k2', 2)]).open('signature.city', sealed)).toThrow('sealed under key "k1", which DATA_KEYS does not list');
    // Same id, another key: the tag does not match.
    expect(() => new Keyring([k('k1', 9)]).open('signature.city', sealed)).toThrow();
  });

  it('refuses a value moved to another field, altered, cut short or never sealed', () => {
    const sealed = ring.seal('signature.email', 'x@example.org');
    expect(() => ring.open('signature.name', sealed)).toThrow();
    const body = Buffer.from(sealed.slice(3), 'base64');
    body[14] ^= 1;
    expect(() => ring.open('signature.email', `k2:${body.toString('base64')}`)).toThrow();
    expect(() => ring.open('signature.email', 'k2:AAAA')).toThrow('damaged');
    expect(() => ring.open('signature.email', 'x@example.org')).toThrow('not sealed');
  });

  it('with encryption off stores `plain:` values, which every keyring opens', () => {
    const off = new Keyring([k('k1', 1)], false);
    expect(off.seal('signature.name', 'Layla')).toBe('plain:Layla');
    expect(off.currentKeyId).toBe('plain');
    expect(ring.open('signature.name', 'plain:Layla: Basra')).toBe('Layla: Basra');
  });

  it('nulls stay null', () => {
    expect(ring.sealOrNull('signature.comment', null)).toBeNull();
    expect(ring.openOrNull('signature.comment', null)).toBeNull();
  });

  it('derives a development key from APP_SECRET when DATA_KEYS is unset, and reads DATA_KEYS otherwise', () => {
    const app = { APP_SECRET: 's'.repeat(32), NODE_ENV: 'development' as const, APP_ROLE: 'all' as const, SHUTDOWN_TIMEOUT_MS: 1, HEAP_GROWTH_PERCENT: 50, WORKER_NICE: 10, QUEUE_DASHBOARD: 'read-only' as const, LOG_LEVEL: 'info' };
    const dev = Keyring.fromEnvironment({ app, privacy: { DATA_ENCRYPTION: 'on' } });
    expect(dev.currentKeyId).toBe('dev');
    expect(Keyring.fromEnvironment({ app, privacy: { DATA_ENCRYPTION: 'on' } }).open('signature.name', dev.seal('signature.name', 'x'))).toBe('x');
    const given = Keyring.fromEnvironment({ app, privacy: { DATA_ENCRYPTION: 'on', DATA_KEYS: `a:${Buffer.alloc(32, 5).toString('base64')}` } });
    expect(given.currentKeyId).toBe('a');
  });
});

describe('BlindIndex', () => {
  it('one index per person: the normalised email, keyed with the secret; never the email itself', () => {
    const index = new BlindIndex('secret-one-secret-one-secret-one-0');
    expect(index.email('Same.Person+a@googlemail.com')).toBe(index.email('sameperson@gmail.com'));
    expect(index.email(' Layla@Example.org ')).toBe(index.email('layla@example.org'));
    expect(index.email('layla@example.org')).not.toBe(index.email('layla@example.net'));
    expect(index.email('layla@example.org')).not.toContain('layla');
    expect(index.email('layla@example.org')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new BlindIndex('secret-two-secret-two-secret-two-0').email('layla@example.org')).not.toBe(index.email('layla@example.org'));
  });
});
