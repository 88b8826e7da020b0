import { DEVELOPMENT_ADMIN, DEVELOPMENT_SECRET, EnvironmentError, isLoopbackHost, validateEnvironment } from './environment';

const problemsOf = (raw: Record<string, string>) => {
  try {
    validateEnvironment(raw);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
};

const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

describe('validateEnvironment', () => {
  it('gives one-machine defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      APP_ROLE: 'all',
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nida',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MIGRATIONS_RUN: true,
      BODY_LIMIT_BYTES: 102400,
      URGENT_ACTION_DEFAULT_DAYS: 30,
    });
    expect(env.APP_SECRET).toBe(DEVELOPMENT_SECRET);
    expect(env.ADMIN_EMAIL).toBe(DEVELOPMENT_ADMIN.email);
  });

  it('converts numbers and booleans', () => {
    const env = validateEnvironment({ PORT: '8080', MIGRATIONS_RUN: 'false', DEMO_DATA: '0' });
    expect(env.PORT).toBe(8080);
    expect(env.MIGRATIONS_RUN).toBe(false);
    expect(env.DEMO_DATA).toBe(false);
  });

  it('names each wrong variable', () => {
    const problems = problemsOf({ PORT: 'eighty', APP_ROLE: 'both', MIGRATIONS_RUN: 'maybe', REDIS_URL: 'localhost' });
    const names = problems.map((p) => p.split('=')[0]).sort();
    expect(names).toEqual(['APP_ROLE', 'MIGRATIONS_RUN', 'PORT', 'REDIS_URL']);
  });

  it('requires APP_SECRET, DATA_KEYS and SMTP_URL in production, and no development admin', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['APP_SECRET', 'DATA_KEYS', 'SMTP_URL']);
    expect(problems.join('\n')).toContain('DATA_KEYS=(hidden): DATA_KEYS is required in production');
    const env = validateEnvironment({
      NODE_ENV: 'production',
      DATA_KEYS: KEYS,
      APP_SECRET: 's'.repeat(32),
      SMTP_URL: 'smtp://mail.example.org:587',
    });
    expect(env.ADMIN_EMAIL).toBeUndefined();
    expect(env.APP_SECRET).toBe('s'.repeat(32));
  });

  it('reads DATA_KEYS as id:base64key entries of 32-byte keys, and never echoes a key', () => {
    const other = Buffer.alloc(32, 9).toString('base64');
    expect(validateEnvironment({ DATA_KEYS: ` k2:${other} , ${KEYS}` }).DATA_KEYS).toBe(` k2:${other} , ${KEYS}`);
    const short = Buffer.alloc(16, 1).toString('base64');
    for (const [value, said] of [
      [`k1:${short}`, 'key "k1" must be 32 bytes (it is 16)'],
      [`${other}`, 'entry 1: expected id:base64key'],
      [`plain:${other}`, 'not "plain"'],
      [`k1:${other},k1:${other}`, 'key id "k1" is listed twice'],
      [`k1:not base64!`, 'key "k1" is not base64'],
      [',', 'must list at least one key'],
    ]) {
      const problems = problemsOf({ DATA_KEYS: value });
      expect([value, problems.length, problems[0]]).toEqual([value, 1, expect.stringContaining(said)]);
      expect(problems[0]).toMatch(/^DATA_KEYS=\(hidden\)/);
      expect(problems[0]).not.toContain(other);
    }
  });

  it('refuses DATA_ENCRYPTION=off in production only', () => {
    expect(validateEnvironment({ DATA_ENCRYPTION: 'off' }).DATA_ENCRYPTION).toBe('off');
    const prod = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org', APP_SECRET: 'p'.repeat(32), DATA_KEYS: KEYS };
    expect(problemsOf({ ...prod, DATA_ENCRYPTION: 'off' })).toEqual([expect.stringMatching(/^DATA_ENCRYPTION="off": supporters' data must be encrypted in production/)]);
    expect(problemsOf({ ...prod, DATA_ENCRYPTION: 'maybe' })).toEqual([expect.stringMatching(/^DATA_ENCRYPTION="maybe"/)]);
  });

  it('refuses a short secret and a short admin password without echoing them', () => {
    const problems = problemsOf({ APP_SECRET: 'too-short', ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'short' });
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['ADMIN_PASSWORD', 'APP_SECRET']);
    expect(problems.join(' ')).not.toContain('too-short');
    expect(problems.join(' ')).not.toMatch(/="short"/);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnvironment({ PORT: '' }).PORT).toBe(3000);
  });

  describe('never fails open', () => {
    const names = (raw: Record<string, string>) => problemsOf(raw).map((p) => p.split('=')[0]).sort();
    const ownSecrets = { APP_SECRET: 'x'.repeat(40), ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'a-password-of-my-own' };

    it('listens on loopback outside production, on every interface in production', () => {
      expect(validateEnvironment({})).toMatchObject({ HOST: '127.0.0.1', BOUNCE_SMTP_HOST: '127.0.0.1' });
      expect(validateEnvironment({ NODE_ENV: 'test' })).toMatchObject({ HOST: '127.0.0.1', BOUNCE_SMTP_HOST: '127.0.0.1' });
      const prod = validateEnvironment({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org', APP_SECRET: 'p'.repeat(32), DATA_KEYS: KEYS });
      expect(prod).toMatchObject({ HOST: '0.0.0.0', BOUNCE_SMTP_HOST: '0.0.0.0' });
      expect(validateEnvironment({ NODE_ENV: 'production', SMTP_URL: 'smtp://m.example.org', APP_SECRET: 'p'.repeat(32), DATA_KEYS: KEYS, HOST: '10.0.0.5' }).HOST).toBe('10.0.0.5');
    });

    it('refuses the development secret and admin password on a HOST other machines reach, naming them', () => {
      const problems = problemsOf({ HOST: '0.0.0.0' });
      expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['ADMIN_PASSWORD', 'APP_SECRET']);
      expect(problems.join('\n')).toContain('HOST="0.0.0.0"');
      expect(problems.join('\n')).not.toContain(DEVELOPMENT_SECRET);
      expect(problems.join('\n')).not.toContain(DEVELOPMENT_ADMIN.password);
      expect(names({ HOST: '192.0.2.10', ...ownSecrets, APP_SECRET: DEVELOPMENT_SECRET })).toEqual(['APP_SECRET']);
      expect(names({ HOST: '::', ...ownSecrets, ADMIN_PASSWORD: DEVELOPMENT_ADMIN.password })).toEqual(['ADMIN_PASSWORD']);
      expect(names({ HOST: '0.0.0.0', APP_SECRET: 'x'.repeat(40) })).toEqual(['ADMIN_PASSWORD']);
      expect(names({ HOST: '0.0.0.0', ...ownSecrets })).toEqual([]);
    });

    it('keeps the development defaults on loopback, and in a worker (which serves no HTTP)', () => {
      for (const HOST of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LocalHost']) {
        expect([HOST, names({ HOST })]).toEqual([HOST, []]);
      }
      expect(names({ HOST: '0.0.0.0', APP_ROLE: 'worker' })).toEqual([]);
      expect(names({ HOST: '0.0.0.0', APP_ROLE: 'api' })).toEqual(['ADMIN_PASSWORD', 'APP_SECRET']);
    });

    it('refuses the development secret and password in production whatever the HOST', () => {
      const prod = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org', HOST: '127.0.0.1', DATA_KEYS: KEYS };
      expect(names({ ...prod, APP_SECRET: DEVELOPMENT_SECRET })).toEqual(['APP_SECRET']);
      expect(names({ ...prod, APP_ROLE: 'worker', ...ownSecrets, ADMIN_PASSWORD: DEVELOPMENT_ADMIN.password })).toEqual(['ADMIN_PASSWORD']);
    });

    it('tells loopback interfaces from the others', () => {
      for (const host of ['127.0.0.1', '127.255.0.1', '::1', '0:0:0:0:0:0:0:1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
        expect([host, isLoopbackHost(host)]).toEqual([host, true]);
      }
      for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org', 'localhost.example.org', '', '::2']) {
        expect([host, isLoopbackHost(host)]).toEqual([host, false]);
      }
    });
  });

  describe('cron settings', () => {
    it('accepts what BullMQ schedules', () => {
      for (const cron of ['17 3 * * *', '*/5 * * * *', '0 0 3 * * 1-5', '@daily', ' 0 4 * * sun ']) {
        expect([cron, problemsOf({ TALLY_RECONCILE_CRON: cron })]).toEqual([cron, []]);
      }
    });

    it('stops the boot on a bad TALLY_RECONCILE_CRON, naming it', () => {
      for (const cron of ['61 * * * *', 'nonsense', '0 0 31 2 *', '*/0 * * * *', '1 2 3', '0 0 1 1 1 1 1', '17 25 * * *']) {
        const problems = problemsOf({ TALLY_RECONCILE_CRON: cron });
        expect([cron, problems]).toEqual([cron, [expect.stringMatching(/^TALLY_RECONCILE_CRON=".*": .*cron/)]]);
      }
    });
  });
});
