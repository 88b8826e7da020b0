import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '../../src/infra/queue/queue-names';
import { consoleSignIn, SAME_ORIGIN } from '../support/console';
import { createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The queue dashboard (@bull-board at /admin/queues): admins only, by bearer token or console
 * session; read-only by default, writable with QUEUE_DASHBOARD=read-write, absent with off.
 */
describe('queue dashboard (e2e)', () => {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('read-only (the default)', () => {
    let t: TestApp;
    let organiser: OrganiserLogin;
    let admin: string;

    beforeAll(async () => {
      t = await createTestApp();
      organiser = await createOrganiserWithOrganisation(t);
      admin = await t.adminToken();
    });
    afterAll(() => t.close());

    it('lists every queue to an admin with a bearer token, read-only', async () => {
      const res = await t.http().get('/admin/queues/api/queues').set(bearer(admin));
      expect(res.status).toBe(200);
      const names = (res.body.queues as { name: string; readOnlyMode: boolean }[]).map((q) => q.name).sort();
      expect(names).toEqual(Object.values(QueueName).sort());
      expect((res.body.queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode)).toBe(true);
    });

    it('shows the page to an admin signed in to the console, with our security headers', async () => {
      const cookie = await consoleSignIn(t, t.env.ADMIN_EMAIL!, t.env.ADMIN_PASSWORD!);
      const page = await t.http().get('/admin/queues').set('Cookie', cookie).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Nida queues');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      const api = await t.http().get('/admin/queues/api/queues').set('Cookie', cookie);
      expect(api.status).toBe(200);
    });

    it('refuses every write, even an admin\'s (403 QUEUE_DASHBOARD_READ_ONLY), and nothing changes', async () => {
      const mail = t.app.get<Queue>(getQueueToken(QueueName.Mail));
      await mail.add('probe', { outboxIds: [] }, { delay: 60_000 });
      const writes = [
        t.http().put('/admin/queues/api/queues/pause').set(bearer(admin)),
        t.http().put(`/admin/queues/api/queues/${QueueName.Mail}/clean/delayed`).set(bearer(admin)),
        t.http().put(`/admin/queues/api/queues/${QueueName.Mail}/promote`).set(bearer(admin)),
        t.http().post(`/admin/queues/api/queues/${QueueName.Mail}/add`).set(bearer(admin)).send({ name: 'x', data: {} }),
        t.http().put(`/admin/queues/api/queues/${QueueName.Mail}/obliterate`).set(bearer(admin)),
      ];
      for (const res of await Promise.all(writes)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('QUEUE_DASHBOARD_READ_ONLY');
      }
      expect(await mail.getDelayedCount()).toBe(1);
      expect(await mail.isPaused()).toBe(false);
      await mail.obliterate({ force: true });
    });

    it('refuses anyone else: 401 without credentials (a browser goes to the login), 403 for an organiser', async () => {
      const none = await t.http().get('/admin/queues/api/queues');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ statusCode: 401, code: 'AUTH_REQUIRED', message: expect.any(String) });
      const browser = await t.http().get('/admin/queues').set('Accept', 'text/html');
      expect(browser.status).toBe(303);
      expect(browser.headers.location).toBe('/en/console/login');
      const forged = await t.http().get('/admin/queues/api/queues').set(bearer('x'.repeat(40)));
      expect(forged.status).toBe(401);
      const byToken = await t.http().get('/admin/queues/api/queues').set(bearer(organiser.token));
      expect(byToken.status).toBe(403);
      expect(byToken.body.code).toBe('AUTH_ADMIN_ONLY');
      const cookie = await consoleSignIn(t, organiser.email);
      const bySession = await t.http().get('/admin/queues').set('Cookie', cookie).set('Accept', 'text/html');
      expect(bySession.status).toBe(403);
      expect(bySession.text).not.toContain('Nida queues');
      const statics = await t.http().get('/admin/queues/static/js/main.f10757109b.js');
      expect(statics.status).toBe(401);
    });
  });

  describe('read-write and off', () => {
    let t: TestApp;

    afterEach(() => t?.close());

    it('with read-write, an admin promotes delayed jobs; a cookie write only from the page itself (same origin)', async () => {
      t = await createTestApp({ QUEUE_DASHBOARD: 'read-write' });
      const admin = await t.adminToken();
      const mail = t.app.get<Queue>(getQueueToken(QueueName.Mail));
      // Paused, so that the app's own mail worker does not take the promoted probe, fail it (an
      // unknown job) and put it back among the delayed for its retry before the count below.
      await mail.pause();
      await mail.add('probe', { outboxIds: [] }, { delay: 60_000 });
      const cookie = await consoleSignIn(t, t.env.ADMIN_EMAIL!, t.env.ADMIN_PASSWORD!);
      const crossSite = await t.http().put(`/admin/queues/api/queues/${QueueName.Mail}/promote`).set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site');
      expect(crossSite.status).toBe(401);
      expect(await mail.getDelayedCount()).toBe(1);
      const fromPage = await t.http().put(`/admin/queues/api/queues/${QueueName.Mail}/promote`).set('Cookie', cookie).set(SAME_ORIGIN);
      expect(fromPage.status).toBeLessThan(300);
      expect(await mail.getDelayedCount()).toBe(0);
      expect(await mail.getWaitingCount()).toBe(1);
      const listed = await t.http().get('/admin/queues/api/queues').set(bearer(admin));
      expect((listed.body.queues as { readOnlyMode: boolean }[]).some((q) => q.readOnlyMode)).toBe(false);
      await mail.obliterate({ force: true });
    });

    it('with off, there is no dashboard (404)', async () => {
      t = await createTestApp({ QUEUE_DASHBOARD: 'off' });
      const res = await t.http().get('/admin/queues/api/queues').set(bearer(await t.adminToken()));
      expect(res.status).toBe(404);
    });
  });
});
