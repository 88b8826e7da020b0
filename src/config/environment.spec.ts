import { DEVELOPMENT_ADMIN, DEVELOPMENT_SECRET, EnvironmentError, validateEnvironment } from './environment';

const problemsOf = (raw: Record<string, string>) => {
  try {
    validateEnvironment(raw);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
};

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

  it('requires APP_SECRET and SMTP_URL in production, and no development admin', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['APP_SECRET', 'SMTP_URL']);
    const env = validateEnvironment({
      NODE_ENV: 'production',
      APP_SECRET: 's'.repeat(32),
      SMTP_URL: 'smtp://mail.example.org:587',
    });
    expect(env.ADMIN_EMAIL).toBeUndefined();
    expect(env.APP_SECRET).toBe('s'.repeat(32));
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
});
