import { createTestApp, TestApp } from '../support/test-app';

describe('health and operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 when PostgreSQL and Redis answer', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('echoes a sane X-Request-Id and replaces a hostile one', async () => {
    const kept = await t.http().get('/health').set('X-Request-Id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http().get('/health').set('X-Request-Id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await t.http().get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/campaigns', '/api/v1/campaigns/{slug}']),
    );
    const page = await t.http().get('/docs').expect(200);
    expect(page.text).toContain('swagger');
  });

  it('sends security headers', async () => {
    const res = await t.http().get('/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an over-long or malformed path with the error shape', async () => {
    const long = await t.http().get(`/confirm/${'a'.repeat(1200)}`).expect(414);
    expect(long.body).toEqual({ statusCode: 414, code: 'PATH_TOO_LONG', message: expect.any(String) });
    const bad = await t.http().get('/api/v1/campaigns/%E0%A4%A').expect(400);
    expect(bad.body).toEqual({ statusCode: 400, code: 'PATH_MALFORMED', message: expect.any(String) });
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'ROUTE_NOT_FOUND', message: expect.any(String) });
  });
});

describe('health when a dependency is down', () => {
  it('answers 503 naming Redis when Redis does not answer', async () => {
    const { createHttpApp } = await import('../../src/app.factory');
    const { validateEnvironment } = await import('../../src/config/environment');
    const env = validateEnvironment({ ...process.env, APP_ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:6399' });
    const app = await createHttpApp(env);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const res = await (await import('supertest')).default(app.getHttpServer()).get('/health').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'up', redis: 'down' } });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming PostgreSQL when the database does not answer', async () => {
    const t = await createTestApp();
    try {
      await t.db.destroy();
      const res = await t.http().get('/health').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'down', redis: 'up' } });
    } finally {
      await t.close();
    }
  });
});
