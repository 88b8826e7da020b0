import { createOrganiserWithOrganisation } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('auth, organisations and organisers', () => {
  let t: TestApp;
  const FREE_PER_ACCOUNT_AND_ADDRESS = 5;
  const FREE_PER_ACCOUNT = 12;
  const FREE_PER_ADDRESS = 8;
  beforeAll(async () => {
    // The test client is the trusted proxy, so X-Forwarded-For stands for different supporters' addresses.
    t = await createTestApp({
      LOGIN_FREE_ATTEMPTS_PER_ACCOUNT: String(FREE_PER_ACCOUNT_AND_ADDRESS),
      LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS: String(FREE_PER_ACCOUNT),
      LOGIN_FREE_ATTEMPTS_PER_IP: String(FREE_PER_ADDRESS),
      // A first wait longer than a slow machine takes for the attempts below (1 s by default).
      LOGIN_FIRST_DELAY_SECONDS: '120',
      TRUST_PROXY: '127.0.0.1,::1',
    });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, ip = '203.0.113.1') =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  describe('login', () => {
    it('gives a bearer token for the right password, usable on /auth/me', async () => {
      const res = await login(' ADMIN@nida.test ', t.env.ADMIN_PASSWORD!).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body).toMatchObject({ email: 'admin@nida.test', role: 'admin' });
      expect(JSON.stringify(me.body)).not.toMatch(/password|scrypt/i);
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const wrong = await login('admin@nida.test', 'not-the-password-at-all').expect(401);
      const unknown = await login('nobody@nida.test', 'not-the-password-at-all').expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, code: 'AUTH_INVALID_CREDENTIALS', message: expect.any(String) });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('checks no more than the free attempts of 40 wrong passwords sent at once', async () => {
      const { email } = await createOrganiserWithOrganisation(t);
      const answers = await Promise.all(Array.from({ length: 40 }, () => login(email, 'wrong-password-xyz', '198.51.100.20')));
      const byStatus = (status: number) => answers.filter((a) => a.status === status);
      expect(byStatus(401)).toHaveLength(FREE_PER_ACCOUNT_AND_ADDRESS);
      expect(byStatus(401).every((a) => a.body.code === 'AUTH_INVALID_CREDENTIALS')).toBe(true);
      expect(byStatus(429)).toHaveLength(40 - FREE_PER_ACCOUNT_AND_ADDRESS);
      for (const a of byStatus(429)) {
        expect(a.body.code).toBe('AUTH_THROTTLED');
        expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      // Redis holds keyed hashes only: neither the email nor the address.
      const keys = await t.redis.keys(`${t.env.REDIS_PREFIX}:{login}:*`);
      expect(keys.length).toBeGreaterThanOrEqual(3);
      expect(keys.join(' ')).not.toMatch(/organiser-|example\.org|198\.51\.100/);
    });

    it('slows a guesser at one address down, even for the right password, but not the organiser elsewhere', async () => {
      const stranger = '198.51.100.7';
      for (let i = 0; i < FREE_PER_ACCOUNT_AND_ADDRESS; i++) await login('admin@nida.test', 'wrong-password-xyz', stranger).expect(401);
      const throttled = await login('admin@nida.test', t.env.ADMIN_PASSWORD!, stranger).expect(429);
      expect(throttled.body.code).toBe('AUTH_THROTTLED');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The admin, from their own address, gets in at once.
      await login('admin@nida.test', t.env.ADMIN_PASSWORD!, '198.51.100.8').expect(200);
    });

    it('slows an account down after many failures from many addresses', async () => {
      const { email } = await createOrganiserWithOrganisation(t);
      for (let i = 0; i < FREE_PER_ACCOUNT; i++) await login(email, 'wrong-password-xyz', `198.51.100.${100 + i}`).expect(401);
      const res = await login(email, 'a-long-enough-password', '198.51.100.99').expect(429);
      expect(res.body.code).toBe('AUTH_THROTTLED');
      // Another account is not affected.
      await login('admin@nida.test', t.env.ADMIN_PASSWORD!, '198.51.100.9').expect(200);
    });

    it('does not count successful logins against an address', async () => {
      const ip = '192.0.2.80';
      for (let i = 0; i < FREE_PER_ADDRESS + 2; i++) await login('admin@nida.test', t.env.ADMIN_PASSWORD!, ip).expect(200);
      await login('nobody@nida.test', 'wrong-password-xyz', ip).expect(401);
    });

    it('slows one address down after many failures across accounts', async () => {
      const ip = '192.0.2.44';
      for (let i = 0; i < FREE_PER_ADDRESS; i++) await login(`someone-${i}@nida.test`, 'wrong-password-xyz', ip).expect(401);
      const res = await login('admin@nida.test', t.env.ADMIN_PASSWORD!, ip).expect(429);
      expect(res.body.code).toBe('AUTH_THROTTLED');
      await login('admin@nida.test', t.env.ADMIN_PASSWORD!, '192.0.2.45').expect(200);
    });

    it('rejects bad login bodies with VALIDATION_FAILED', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: 'a@b.org' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'password' })]);
      const extra = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'a@b.org', password: 'x', role: 'admin' })
        .expect(400);
      expect(extra.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
    });
  });

  describe('tokens', () => {
    it('tells 401 (no or bad token) from 403 (not allowed)', async () => {
      const none = await t.http().post('/api/v1/organisations').send({ name: 'X org' }).expect(401);
      expect(none.body.code).toBe('AUTH_REQUIRED');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const garbage = await t
        .http()
        .post('/api/v1/organisations')
        .set('Authorization', 'Bearer not.a.token')
        .send({ name: 'X org' })
        .expect(401);
      expect(garbage.body.code).toBe('AUTH_REQUIRED');
      const { token } = await createOrganiserWithOrganisation(t);
      const forbidden = await t
        .http()
        .post('/api/v1/organisations')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'X org' })
        .expect(403);
      expect(forbidden.body.code).toBe('AUTH_ADMIN_ONLY');
    });

    it('accepts the scheme name in any case, as HTTP says', async () => {
      const token = await t.adminToken();
      await t.http().get('/api/v1/auth/me').set('Authorization', `bearer ${token}`).expect(200);
      await t.http().get('/api/v1/auth/me').set('Authorization', `Basic ${token}`).expect(401);
    });

    it('refuses a token once its organiser is gone', async () => {
      const { token, organiserId } = await createOrganiserWithOrganisation(t);
      await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      await t.db.query('DELETE FROM organisers WHERE id = $1', [organiserId]);
      await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    });
  });

  describe('organisations and organisers (admin)', () => {
    it('creates an organisation and an organiser who can sign in; never returns the password', async () => {
      const admin = await t.adminToken();
      const org = await t
        .http()
        .post('/api/v1/organisations')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: '  Save the Tigris  ' })
        .expect(201);
      expect(org.body).toEqual({ id: expect.any(String), name: 'Save the Tigris', createdAt: expect.any(String) });

      const created = await t
        .http()
        .post(`/api/v1/organisations/${org.body.id}/organisers`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'Layla@Example.org', password: 'correct horse battery', name: 'ليلى حسن' })
        .expect(201);
      expect(created.body).toMatchObject({ email: 'layla@example.org', name: 'ليلى حسن', role: 'organiser' });
      expect(JSON.stringify(created.body)).not.toMatch(/password|correct horse|scrypt/i);
      const [row] = await t.db.query('SELECT password_hash FROM organisers WHERE email = $1', ['layla@example.org']);
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
      expect(row.password_hash).not.toContain('correct horse');

      await login('layla@example.org', 'correct horse battery', '203.0.113.50').expect(200);
    });

    it('refuses duplicates, short passwords, unknown organisations and unknown fields', async () => {
      const admin = await t.adminToken();
      const auth = { Authorization: `Bearer ${admin}` };
      const org = await t.http().post('/api/v1/organisations').set(auth).send({ name: 'Dup Test' }).expect(201);
      const dup = await t.http().post('/api/v1/organisations').set(auth).send({ name: 'dup test' }).expect(409);
      expect(dup.body.code).toBe('ORGANISATION_NAME_TAKEN');

      const path = `/api/v1/organisations/${org.body.id}/organisers`;
      const short = await t.http().post(path).set(auth).send({ email: 'a@example.org', password: 'short', name: 'A' }).expect(400);
      expect(short.body.details).toEqual([expect.objectContaining({ field: 'password' })]);
      await t.http().post(path).set(auth).send({ email: 'same@example.org', password: 'long-enough-pass', name: 'A' }).expect(201);
      const again = await t
        .http()
        .post(path)
        .set(auth)
        .send({ email: 'SAME@example.org', password: 'long-enough-pass', name: 'B' })
        .expect(409);
      expect(again.body.code).toBe('ORGANISER_EMAIL_TAKEN');
      const sneaky = await t
        .http()
        .post(path)
        .set(auth)
        .send({ email: 'c@example.org', password: 'long-enough-pass', name: 'C', organisationId: org.body.id, passwordHash: 'x' })
        .expect(400);
      expect(sneaky.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['organisationId', 'passwordHash']);

      const missing = await t
        .http()
        .post('/api/v1/organisations/00000000-0000-4000-8000-000000000000/organisers')
        .set(auth)
        .send({ email: 'd@example.org', password: 'long-enough-pass', name: 'D' })
        .expect(404);
      expect(missing.body.code).toBe('ORGANISATION_NOT_FOUND');
      await t.http().post('/api/v1/organisations/not-a-uuid/organisers').set(auth).send({}).expect(404);

      const [{ n }] = await t.db.query("SELECT count(*)::int AS n FROM organisers WHERE email IN ('a@example.org','c@example.org','d@example.org')");
      expect(n).toBe(0);
    });

    it('lets an admin create another admin', async () => {
      const admin = await t.adminToken();
      const org = await t.http().post('/api/v1/organisations').set('Authorization', `Bearer ${admin}`).send({ name: 'Second admins' });
      await t
        .http()
        .post(`/api/v1/organisations/${org.body.id}/organisers`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'second-admin@example.org', password: 'long-enough-pass', name: 'Second', role: 'admin' })
        .expect(201);
      const res = await login('second-admin@example.org', 'long-enough-pass', '203.0.113.60').expect(200);
      await t.http().get('/api/v1/organisations').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });
  });
});
