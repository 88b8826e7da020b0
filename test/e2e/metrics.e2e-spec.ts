import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { createWorkerContext } from '../../src/app.factory';
import { validateEnvironment } from '../../src/config/environment';
import { COLLECT_TIMEOUT_MS } from '../../src/infra/metrics/metrics.service';
import { QueueName } from '../../src/infra/queue/queue-names';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort } from '../support/processes';
import { RedisCut } from '../support/redis-cut';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const TOKEN = 'metrics-token-for-the-e2e-test-0123456789';

/** The value of one sample of the exposition (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The lines of one metric (its samples, not HELP/TYPE). */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

const COUNTED = [
  ['nida_signatures_total', '{outcome="pending"}'],
  ['nida_signatures_total', '{outcome="duplicate"}'],
  ['nida_signatures_total', '{outcome="held"}'],
  ['nida_signatures_total', '{outcome="blocked"}'],
  ['nida_signature_confirmations_total', ''],
  ['nida_mail_sends_total', '{result="sent"}'],
  ['nida_letters_waiting', ''],
] as const;

/** The counters this file moves, by `name{labels}`. */
function counters(text: string): Record<string, number> {
  return Object.fromEntries(COUNTED.map(([name, labels]) => [`${name}${labels}`, sample(text, name, labels)]));
}

describe('metrics (e2e)', () => {
  describe('with METRICS_TOKEN and METRICS_PORT', () => {
    let t: TestApp;
    let metricsPort: number;
    const smtp = new SmtpSink();
    const listener = () => request(`http://127.0.0.1:${metricsPort}`);
    const scrape = async () => {
      const res = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      return res.text;
    };

    beforeAll(async () => {
      metricsPort = await freePort();
      t = await createTestApp({
        SMTP_URL: await smtp.start(),
        MAIL_BACKOFF_MS: '50',
        MAIL_RELAY_INTERVAL_MS: '100',
        METRICS_TOKEN: TOKEN,
        METRICS_PORT: String(metricsPort),
        // The third signing with one address within the hour is held (the tests' environment turns limits off).
        SIGN_LIMITS: 'on',
        SIGN_LIMIT_EMAIL_HOUR: '2',
        // Letters stay queued (the dispatcher's first pass is an hour away), so the waiting gauge moves.
        LETTER_DISPATCH_INTERVAL_MS: '3600000',
        // Tally events wait for the test's own fold, so the lag can be watched.
        TALLY_INTERVAL_MS: '3600000',
      });
    });
    afterAll(async () => {
      await t?.close();
      await smtp.stop();
    });

    it('answers /metrics on the HTTP app only to the bearer of METRICS_TOKEN: 401 in the error shape otherwise', async () => {
      const none = await t.http().get('/metrics');
      expect([none.status, none.body.code, none.headers['www-authenticate']]).toEqual([401, 'AUTH_REQUIRED', 'Bearer']);
      expect(none.headers['content-type']).toMatch(/^application\/json/);
      for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
        const wrong = await t.http().get('/metrics').set('Authorization', header);
        expect([header, wrong.status, wrong.body.code]).toEqual([header, 401, 'METRICS_TOKEN_INVALID']);
        expect(wrong.text).not.toContain('nida_');
      }
      // An organiser's or the admin's API token is not the metrics token.
      const admin = await t.http().get('/metrics').set('Authorization', `Bearer ${await t.adminToken()}`);
      expect([admin.status, admin.body.code]).toEqual([401, 'METRICS_TOKEN_INVALID']);

      const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(ok.headers['cache-control']).toBe('no-store');
      expect(ok.text).toMatch(/^# HELP nida_signatures_total /m);
      expect(ok.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(ok.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    });

    it('serves the same metrics on the METRICS_PORT listener, which also asks for the token and serves nothing else', async () => {
      const none = await listener().get('/metrics');
      expect([none.status, none.body.code]).toEqual([401, 'AUTH_REQUIRED']);
      const wrong = await listener().get('/metrics').set('Authorization', 'Bearer not-the-token');
      expect([wrong.status, wrong.body.code]).toEqual([401, 'METRICS_TOKEN_INVALID']);
      const ok = await listener().get('/metrics?x=1').set('Authorization', `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(ok.text).toMatch(/^nida_signatures_total\{outcome="pending"\} \d/m);
      for (const path of ['/', '/health', '/api/v1/campaigns', '/metrics/', '/metricsx']) {
        const other = await listener().get(path).set('Authorization', `Bearer ${TOKEN}`);
        expect([path, other.status, other.body.code]).toEqual([path, 404, 'ROUTE_NOT_FOUND']);
      }
      const post = await listener().post('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect([post.status, post.body.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    });

    it('counts signings by outcome and confirmations exactly, and the HTTP histogram names routes by pattern, never a slug or an address', async () => {
      const org = await createOrganiserWithOrganisation(t);
      const campaign = await createLiveCampaign(t, org.token, { letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Act, {{target.name}}.' } });
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set('Authorization', `Bearer ${org.token}`).send({ name: 'The Minister', email: 'minister@gov.example.org' }).expect(201);
      const admin = await t.adminToken();
      await t.http().post('/api/v1/admin/blocks').set('Authorization', `Bearer ${admin}`).send({ type: 'email', value: 'blocked.signer@example.org' }).expect(201);
      const before = counters(await scrape());

      const sign = (email: string) =>
        t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send({ name: 'Layla Hassan', email, country: 'IQ' }).expect(202);
      const email = 'metrics.signer@example.org';
      await sign(email); // new: pending
      await sign(email); // the same address again: a duplicate (a second confirmation email)
      await sign(email); // a third time within the hour (SIGN_LIMIT_EMAIL_HOUR=2): held
      await sign('blocked.signer@example.org'); // blocked
      const mails = await smtp.waitFor(email, 2);
      const token = new URL(confirmLink(mails[0])).pathname.split('/').pop();
      await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
      await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200); // the same link again: counted once

      // The emails are counted once the server accepted them and they were recorded.
      const sentBefore = before['nida_mail_sends_total{result="sent"}'];
      await waitUntil(async () => sample(await scrape(), 'nida_mail_sends_total', '{result="sent"}') >= sentBefore + 2);
      const after = counters(await scrape());
      const moved = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k]]));
      expect(moved).toEqual({
        'nida_signatures_total{outcome="pending"}': 1,
        'nida_signatures_total{outcome="duplicate"}': 1,
        'nida_signatures_total{outcome="held"}': 1,
        'nida_signatures_total{outcome="blocked"}': 1,
        'nida_signature_confirmations_total': 1,
        'nida_mail_sends_total{result="sent"}': 2,
        'nida_letters_waiting': 1, // the confirmed supporter's letter to the one target
      });

      const text = await scrape();
      const route = '/api/v1/campaigns/:slug/signatures';
      expect(sample(text, 'nida_http_requests_total', `{method="POST",route="${route}",status="202"}`)).toBe(4);
      expect(sample(text, 'nida_http_request_duration_seconds_count', `{method="POST",route="${route}",status_class="2xx"}`)).toBe(4);
      expect(sample(text, 'nida_http_requests_total', '{method="POST",route="/api/v1/signatures/confirm",status="200"}')).toBe(2);
      expect(samples(text, 'nida_http_request_duration_seconds_bucket').some((l) => l.includes(`route="${route}"`))).toBe(true);
      // A request to no route is `unmatched`, never its address.
      await t.http().get(`/api/v1/nothing/${campaign.slug}-${email}`).expect(404);
      const later = await scrape();
      expect(sample(later, 'nida_http_requests_total', '{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
      for (const secret of [campaign.slug, campaign.id, email, 'metrics.signer', 'blocked.signer', String(token)]) {
        expect([secret, later.includes(secret)]).toEqual([secret, false]);
      }
    });

    it('reads the queues, the waiting letters and the tally when scraped', async () => {
      const text = await scrape();
      for (const queue of Object.values(QueueName)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(samples(text, 'nida_queue_jobs')).toContainEqual(expect.stringMatching(new RegExp(`^nida_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+$`)));
        }
        expect(samples(text, 'nida_queue_oldest_waiting_age_seconds')).toContainEqual(
          expect.stringMatching(new RegExp(`^nida_queue_oldest_waiting_age_seconds\\{queue="${queue}"\\} [\\d.e+-]+$`)),
        );
      }
      expect(samples(text, 'nida_tally_lag_seconds')).toEqual([expect.stringMatching(/^nida_tally_lag_seconds [\d.e+-]+$/)]);
      expect(samples(text, 'nida_tally_unfolded_events')).toEqual([expect.stringMatching(/^nida_tally_unfolded_events \d+$/)]);
      expect(samples(text, 'nida_letters_waiting')).toEqual([expect.stringMatching(/^nida_letters_waiting \d+$/)]);
      expect(samples(text, 'nida_metrics_collector_up').sort()).toEqual([
        'nida_metrics_collector_up{collector="letters"} 1',
        'nida_metrics_collector_up{collector="queues"} 1',
        'nida_metrics_collector_up{collector="tally"} 1',
      ]);
    });

    it('shows the tally lag growing while an event waits to be folded, and 0 once folded', async () => {
      // The confirmation above left one event unfolded (the fold loop waits an hour here).
      const first = await scrape();
      expect(sample(first, 'nida_tally_unfolded_events')).toBe(1);
      expect(sample(first, 'nida_tally_lag_seconds')).toBeLessThan(60);
      // The event written two minutes ago: the lag is its age.
      await t.db.query(`UPDATE tally_events SET created_at = now() - interval '120 seconds'`);
      const later = await scrape();
      expect(sample(later, 'nida_tally_lag_seconds')).toBeGreaterThanOrEqual(120);
      expect(sample(later, 'nida_tally_lag_seconds')).toBeLessThan(180);
      await t.app.get(TallyFoldLoop).loop.runOnce();
      const folded = await scrape();
      expect([sample(folded, 'nida_tally_unfolded_events'), sample(folded, 'nida_tally_lag_seconds')]).toEqual([0, 0]);
    });

    it('counts a waiting job in its queue and gives the age of the oldest', async () => {
      const queue = t.app.get<Queue>(getQueueToken(QueueName.Retention));
      await queue.pause();
      try {
        await queue.add('metrics.probe', {}, { jobId: 'metrics-probe', timestamp: Date.now() - 60_000 });
        const text = await scrape();
        expect(sample(text, 'nida_queue_jobs', `{queue="${QueueName.Retention}",state="waiting"}`)).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'nida_queue_oldest_waiting_age_seconds', `{queue="${QueueName.Retention}"}`)).toBeGreaterThanOrEqual(60);
      } finally {
        await queue.remove('metrics-probe');
        await queue.resume();
      }
    });
  });

  describe('with Redis away', () => {
    const relay = new RedisCut();
    let t: TestApp;

    beforeAll(async () => {
      // Role api: queues without workers, so the cut meets only the scrape's reads.
      t = await createTestApp({ APP_ROLE: 'api', REDIS_URL: await relay.open(), METRICS_TOKEN: TOKEN });
    });
    afterAll(async () => {
      await t?.close();
      await relay.close();
    });

    it('still answers every scrape within COLLECT_TIMEOUT_MS, leaving out the queues and saying so', async () => {
      const scrape = () => t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect((await scrape()).text).toMatch(/^nida_metrics_collector_up\{collector="queues"\} 1$/m);
      await relay.cut();
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const { text } = await scrape();
        expect(Date.now() - started).toBeLessThan(COLLECT_TIMEOUT_MS + 1000);
        expect(samples(text, 'nida_metrics_collector_up').sort()).toEqual([
          'nida_metrics_collector_up{collector="letters"} 1',
          'nida_metrics_collector_up{collector="queues"} 0',
          'nida_metrics_collector_up{collector="tally"} 1',
        ]);
        expect(samples(text, 'nida_queue_jobs')).toEqual([]);
        expect(samples(text, 'nida_queue_oldest_waiting_age_seconds')).toEqual([]);
        expect(samples(text, 'nida_letters_waiting')).toEqual(['nida_letters_waiting 0']);
      }
      // Redis back (the same port): the queues are read again once the connections are.
      await relay.open();
      await waitUntil(async () => /^nida_metrics_collector_up\{collector="queues"\} 1$/m.test((await scrape()).text), 25000, 200);
    }, 40000);
  });

  describe('without METRICS_TOKEN', () => {
    it('has no /metrics on the HTTP app, even for a bearer', async () => {
      const t = await createTestApp();
      try {
        for (const auth of [undefined, `Bearer ${TOKEN}`]) {
          const req = t.http().get('/metrics');
          const res = await (auth ? req.set('Authorization', auth) : req);
          expect([res.status, res.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
        }
      } finally {
        await t.close();
      }
    });

    it('lets a worker (no HTTP app) be scraped on METRICS_PORT, without a token', async () => {
      const port = await freePort();
      const env = validateEnvironment({ ...process.env, APP_ROLE: 'worker', METRICS_PORT: String(port) } as Record<string, string>);
      let worker: INestApplicationContext | undefined;
      try {
        worker = await createWorkerContext(env);
        await worker.init();
        const res = await request(`http://127.0.0.1:${port}`).get('/metrics');
        expect(res.status).toBe(200);
        expect(res.text).toMatch(/^nida_mail_sends_total\{result="sent"\} \d/m);
        expect(res.text).toMatch(new RegExp(`^nida_queue_jobs\\{queue="${QueueName.Mail}",state="waiting"\\} \\d`, 'm'));
        expect(res.text).toMatch(/^nida_metrics_collector_up\{collector="queues"\} 1$/m);
        // A worker answers no request: its HTTP series are declared but empty.
        expect(samples(res.text, 'nida_http_requests_total')).toEqual([]);
      } finally {
        await worker?.close();
      }
      // Closed with the worker.
      await expect(request(`http://127.0.0.1:${port}`).get('/metrics')).rejects.toThrow();
    });
  });
});
