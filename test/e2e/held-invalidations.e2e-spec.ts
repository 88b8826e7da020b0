import type { Response } from 'supertest';
import type { QueryRunner } from 'typeorm';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { TallyService } from '../../src/modules/tally/tally.service';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { emailHash } from '../support/supporter-data';

/**
 * Held signatures (released, discarded) and bulk invalidations, against the real app, PostgreSQL,
 * Redis and the SMTP sink. Nothing in this branch holds a signature yet (the signing path's limits
 * do): held rows are written here exactly as it stores them — status held, a reason, verified_at
 * NULL, no token, no outbox row.
 */
describe('held signatures and bulk invalidations (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      MAIL_CONCURRENCY: '10',
      // Letters stay queued in this file: cancelling them is what is tested.
      LETTER_DISPATCH_INTERVAL_MS: '3600000',
      CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600',
      SIGNATURE_MAX_EMAILS: '3',
    });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  let seq = 0;
  const address = (label: string, domain = 'example.org') => `${label}-${++seq}@${domain}`;
  const auth = (login: OrganiserLogin = org) => ({ Authorization: `Bearer ${login.token}` });
  const fold = () => t.app.get(TallyFoldLoop).loop.runOnce();

  async function sign(slug: string, email: string, country = 'IQ'): Promise<void> {
    const res = await t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Layla Hassan', email, country });
    expect(res.status).toBe(202);
  }

  /** The confirmation token of the n-th mail to this address. */
  async function tokenOf(email: string, nth = 1): Promise<string> {
    // The envelope carries the domain in lower case.
    const mails = await waitUntil(async () => {
      const found = smtp.received.filter((m) => m.envelope.to.some((to) => to.toLowerCase() === email.toLowerCase()));
      return found.length >= nth ? found : null;
    });
    return new URL(confirmLink(mails![nth - 1])).pathname.split('/').pop() ?? '';
  }

  const confirm = (token: string) => t.http().post('/api/v1/signatures/confirm').send({ token });

  async function signAndConfirm(slug: string, email: string, country = 'IQ'): Promise<string> {
    await sign(slug, email, country);
    const res = await confirm(await tokenOf(email));
    expect(res.status).toBe(200);
    const [{ id }] = await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [emailHash(email)]);
    return id as string;
  }

  /** A held signature, stored as the signing path stores one. */
  async function held(campaignId: string, email: string, reason = 'ip_burst', extra: { createdAt?: string; emailsQueued?: number } = {}): Promise<string> {
    const [{ id }] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, held_reason, emails_queued, created_at)
       VALUES ($1, 'plain:' || $2, lower($2), lower(split_part($2, '@', 2)), 'plain:Omar Ali', 'IQ', 'plain:Basra', 'en', 'held', $3, $4,
               coalesce($5::timestamptz, now())) RETURNING id`,
      [campaignId, email, reason, extra.emailsQueued ?? 0, extra.createdAt ?? null],
    );
    return id as string;
  }

  async function count(slug: string): Promise<number> {
    const res = await t.http().get(`/api/v1/campaigns/${slug}/count`);
    expect(res.status).toBe(200);
    return res.body.verified as number;
  }
  const countReaches = (slug: string, n: number) => waitUntil(async () => (await count(slug)) === n, 15000, 25);

  interface Stats {
    verified: number;
    pending: number;
    held: number;
    invalidated: number;
    byCountry: { country: string; verified: number }[];
    byDay: { day: string; verified: number }[];
    milestones: { percent: number }[];
  }
  async function stats(id: string): Promise<Stats> {
    const res = await t.http().get(`/api/v1/campaigns/${id}/stats`).set(auth());
    expect(res.status).toBe(200);
    return res.body as Stats;
  }

  async function statusOf(id: string): Promise<string | null> {
    const rows: { status: string }[] = await t.db.query(`SELECT status FROM signatures WHERE id = $1`, [id]);
    return rows[0]?.status ?? null;
  }

  const outboxOf = async (signatureId: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE signature_id = $1`, [signatureId]))[0].n as number;

  const invalidate = (campaignId: string, body: Record<string, unknown>, login = org) =>
    t.http().post(`/api/v1/campaigns/${campaignId}/invalidations`).set(auth(login)).send(body);

  /** Another connection holding a SHARE lock on tally_events: a transaction that writes an event waits there, mid-way. */
  async function holdTallyEvents(): Promise<QueryRunner> {
    const qr = t.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    await qr.query('LOCK TABLE tally_events IN SHARE MODE');
    return qr;
  }
  /** Waits until a session of this database waits for a lock in a statement containing `fragment`. */
  const waitsAt = (fragment: string) =>
    waitUntil(async () => {
      const [{ waiting }] = await t.db.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND strpos(query, $1) > 0`,
        [fragment],
      );
      return waiting > 0;
    });
  const CONFIRM_EVENT = 'INSERT INTO tally_events (campaign_id, country, day) VALUES';
  const CONFIRM_VERIFY = "UPDATE signatures SET status = 'verified'";
  const INVALIDATION_EVENTS = 'INSERT INTO tally_events (campaign_id, country, day, delta)';
  const INVALIDATION_LOCK = 'ORDER BY id FOR UPDATE';

  // ── held ────────────────────────────────────────────────────────────────────

  describe('held signatures', () => {
    it('lists them newest first, a page at a time, with the email\'s domain and never the email', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const emails = [address('first', 'Carrier.Example'), address('second', 'carrier.example'), address('third', 'uni.example')];
      const ids = [
        await held(campaign.id, emails[0], 'ip_burst', { createdAt: '2026-05-01T10:00:00.000001Z' }),
        await held(campaign.id, emails[1], 'honeypot', { createdAt: '2026-05-01T10:00:00.000002Z' }),
        await held(campaign.id, emails[2], 'ip_burst', { createdAt: '2026-05-01T10:00:00.000003Z' }),
      ];

      const first = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures/held`).query({ limit: 2 }).set(auth());
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([
        { id: ids[2], name: 'Omar Ali', country: 'IQ', city: 'Basra', heldReason: 'ip_burst', createdAt: '2026-05-01T10:00:00.000Z', emailDomain: 'uni.example' },
        { id: ids[1], name: 'Omar Ali', country: 'IQ', city: 'Basra', heldReason: 'honeypot', createdAt: '2026-05-01T10:00:00.000Z', emailDomain: 'carrier.example' },
      ]);
      // Three rows within the same millisecond: the cursor keeps PostgreSQL's microseconds.
      const second = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures/held`).query({ limit: 2, cursor: first.body.nextCursor }).set(auth());
      expect(second.status).toBe(200);
      expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
      expect(second.body.nextCursor).toBeNull();
      for (const email of emails) {
        expect(first.text + second.text).not.toContain(email.split('@')[0]);
      }

      const byReason = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures/held`).query({ reason: 'honeypot' }).set(auth());
      expect(byReason.body.items.map((i: { id: string }) => i.id)).toEqual([ids[1]]);

      const s = await stats(campaign.id);
      expect(s).toMatchObject({ verified: 0, pending: 0, held: 3, invalidated: 0 });
    });

    it('held → released → confirmation mail → confirm → counted; a second release does nothing', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const email = address('carrier');
      const id = await held(campaign.id, email);
      await fold();
      expect(await count(campaign.slug)).toBe(0);
      expect(smtp.to(email)).toHaveLength(0);

      const released = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ ids: [id] });
      expect(released.status).toBe(200);
      expect(released.body).toEqual({ released: 1 });
      expect(await statusOf(id)).toBe('pending');

      // The mail the person really gets; its link opens the confirmation page; its button confirms.
      const [mail] = await smtp.waitFor(email);
      expect(mail.parsed.headers.get('x-nida-mail')).toBe('signature.confirmation');
      const path = new URL(confirmLink(mail)).pathname;
      const page = await t.http().get(path);
      expect(page.status).toBe(200);
      expect(await statusOf(id)).toBe('pending');
      const done = await t.http().post(path).type('form').send('');
      expect(done.status).toBe(200);
      expect(done.text).toContain('Thank you — you are counted.');
      await countReaches(campaign.slug, 1);
      expect(await stats(campaign.id)).toMatchObject({ verified: 1, pending: 0, held: 0 });

      const again = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ ids: [id] });
      expect(again.body).toEqual({ released: 0 });
      expect(await outboxOf(id)).toBe(1);
    });

    it('releases within SIGNATURE_MAX_EMAILS: one already at the cap becomes pending without an email', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const capped = address('capped');
      const fresh = address('fresh');
      const cappedId = await held(campaign.id, capped, 'ip_hour', { emailsQueued: 3 });
      const freshId = await held(campaign.id, fresh, 'ip_hour');
      const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ all: true, reason: 'ip_hour' });
      expect(res.body).toEqual({ released: 2 });
      await smtp.waitFor(fresh);
      expect(await outboxOf(freshId)).toBe(1);
      expect(await outboxOf(cappedId)).toBe(0);
      expect(await statusOf(cappedId)).toBe('pending');
      expect(smtp.to(capped)).toHaveLength(0);
    });

    it('never releases an anonymised held signature (no address left to confirm from): it stays held', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const gone = await held(campaign.id, address('gone'), 'ip_hour');
      const kept = await held(campaign.id, address('kept'), 'ip_hour');
      await t.db.query(
        `UPDATE signatures SET email = NULL, email_hash = NULL, name = NULL, city = NULL, email_domain = NULL, data_key = NULL, anonymised_at = now() WHERE id = $1`,
        [gone],
      );
      const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ all: true });
      expect(res.body).toEqual({ released: 1 });
      expect([await statusOf(gone), await statusOf(kept)]).toEqual(['held', 'pending']);
    });

    it('held → discarded → never counted, and the person can sign again', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const email = address('bot-or-not');
      const keep = address('keep');
      const id = await held(campaign.id, email, 'honeypot');
      const keepId = await held(campaign.id, keep, 'ip_burst');

      const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/discard`).set(auth()).send({ all: true, reason: 'honeypot' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ discarded: 1 });
      expect(await statusOf(id)).toBeNull();
      expect(await statusOf(keepId)).toBe('held');
      await fold();
      expect(await count(campaign.slug)).toBe(0);
      expect(smtp.to(email)).toHaveLength(0);

      await sign(campaign.slug, email);
      expect((await confirm(await tokenOf(email))).status).toBe(200);
      await countReaches(campaign.slug, 1);
    });

    it('two releases of the same signatures release each once; a release racing a discard: one wins, never both', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      for (let round = 0; round < 5; round++) {
        const ids = await Promise.all(Array.from({ length: 8 }, () => held(campaign.id, address('race'))));
        const release = () => t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ ids });
        const [a, b] = await Promise.all([release(), release()]);
        expect(a.body.released + b.body.released).toBe(8);
        for (const id of ids) expect(await outboxOf(id)).toBe(1);

        const more = await Promise.all(Array.from({ length: 8 }, () => held(campaign.id, address('race'))));
        const [r, d] = await Promise.all([
          t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(auth()).send({ all: true }),
          t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/discard`).set(auth()).send({ all: true }),
        ]);
        expect(r.body.released + d.body.discarded).toBe(8);
        const states = await Promise.all(more.map(statusOf));
        expect(states.filter((s) => s === 'pending')).toHaveLength(r.body.released);
        expect(states.filter((s) => s === null)).toHaveLength(d.body.discarded);
        for (const id of more.filter((_, i) => states[i] === 'pending')) expect(await outboxOf(id)).toBe(1);
      }
    });
  });

  // ── invalidations ───────────────────────────────────────────────────────────

  describe('bulk invalidation', () => {
    it('a dry run gives the exact number and changes nothing; the run drops the count and both breakdowns by exactly that, cancels queued letters, and is listed', async () => {
      const campaign = await createLiveCampaign(t, org.token, {
        goal: 8,
        letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}, we ask you to act.' },
      });
      await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth())
        .send({ name: 'World Heritage Centre', email: 'whc@unesco.example.org', locale: 'en' }).expect(201);

      const bots = [
        await signAndConfirm(campaign.slug, address('bot', 'Bots.Example'), 'IQ'),
        await signAndConfirm(campaign.slug, address('bot', 'bots.example'), 'IQ'),
        await signAndConfirm(campaign.slug, address('bot', 'bots.example'), 'SY'),
      ];
      const people = [
        await signAndConfirm(campaign.slug, address('person'), 'IQ'),
        await signAndConfirm(campaign.slug, address('person'), 'JO'),
      ];
      const pendingBot = address('bot', 'bots.example');
      await sign(campaign.slug, pendingBot);
      await tokenOf(pendingBot);
      const heldBot = await held(campaign.id, address('bot', 'bots.example'));
      await countReaches(campaign.slug, 5);

      // Two of the bots were counted on an earlier day, the three others on the day after (fixed days,
      // not today's: a run crossing midnight would split them): the reconciliation moves them there
      // in the day breakdown.
      await t.db.query(
        `UPDATE signatures SET created_at = '2026-01-02T09:00:00Z', verified_at = '2026-01-02T10:00:00Z' WHERE id = ANY($1::uuid[])`,
        [bots.slice(0, 2)],
      );
      await t.db.query(
        `UPDATE signatures SET created_at = '2026-01-03T09:00:00Z', verified_at = '2026-01-03T10:00:00Z' WHERE id = ANY($1::uuid[])`,
        [[bots[2], ...people]],
      );
      expect(await t.app.get(TallyService).reconcile()).toEqual([]);
      const dayAfter = '2026-01-03';
      const before = await stats(campaign.id);
      expect(before).toMatchObject({ verified: 5, pending: 1, held: 1, invalidated: 0 });
      expect(before.byCountry).toEqual([{ country: 'IQ', verified: 3 }, { country: 'JO', verified: 1 }, { country: 'SY', verified: 1 }]);
      expect(before.byDay).toEqual([{ day: '2026-01-02', verified: 2 }, { day: dayAfter, verified: 3 }]);
      expect(before.milestones.map((m) => m.percent)).toEqual([25, 50]);
      const [{ n: queued }] = await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'queued'`, [campaign.id]);
      expect(queued).toBe(5);

      const dry = await invalidate(campaign.id, { domain: 'BOTS.EXAMPLE', dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({ dryRun: true, matched: 5, counted: 3, unconfirmed: 2, invalidation: null });
      const narrower = await invalidate(campaign.id, { emailPattern: 'BOT-*@bots.example', status: 'verified', to: dayAfter, dryRun: true });
      expect(narrower.body).toMatchObject({ matched: 2, counted: 2, unconfirmed: 0 });
      await fold();
      expect(await stats(campaign.id)).toEqual(before);
      expect(await statusOf(heldBot)).toBe('held');
      expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/invalidations`).set(auth())).body.items).toEqual([]);

      const run = await invalidate(campaign.id, { domain: 'bots.example', reason: 'One sender, 3 a.m., a throwaway domain' });
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ dryRun: false, matched: 5, counted: 3, unconfirmed: 2 });
      const record = run.body.invalidation;
      expect(record).toMatchObject({
        campaignId: campaign.id,
        criteria: { domain: 'bots.example' },
        reason: 'One sender, 3 a.m., a throwaway domain',
        matched: 5,
        createdBy: org.organiserId,
      });

      await countReaches(campaign.slug, 2);
      const after = await stats(campaign.id);
      expect(after).toMatchObject({ verified: 2, pending: 0, held: 0, invalidated: 3 });
      expect(after.byCountry).toEqual([{ country: 'IQ', verified: 1 }, { country: 'JO', verified: 1 }]);
      expect(after.byDay).toEqual([{ day: dayAfter, verified: 2 }]);
      // 2 of 8 is 25 %: the 50 % milestone was reached with signatures that no longer count.
      expect(after.milestones.map((m) => m.percent)).toEqual([25]);
      expect(await t.app.get(TallyService).reconcile()).toEqual([]);
      expect(await stats(campaign.id)).toEqual(after);

      for (const id of bots) expect(await statusOf(id)).toBe('invalidated');
      for (const id of people) expect(await statusOf(id)).toBe('verified');
      expect(await statusOf(heldBot)).toBeNull();
      const letters: { signature_id: string; status: string; last_error: string | null }[] = await t.db.query(
        `SELECT signature_id, status, last_error FROM letters WHERE campaign_id = $1`,
        [campaign.id],
      );
      expect(letters.filter((l) => bots.includes(l.signature_id)).map((l) => [l.status, l.last_error])).toEqual(
        bots.map(() => ['cancelled', `Cancelled: the signature was invalidated (${record.id}).`]),
      );
      expect(letters.filter((l) => people.includes(l.signature_id)).map((l) => l.status)).toEqual(['queued', 'queued']);
      const lettersApi = await t.http().get(`/api/v1/campaigns/${campaign.id}/letters`).query({ status: 'cancelled' }).set(auth()).expect(200);
      expect(lettersApi.body.total).toBe(3);
      expect((await stats(campaign.id) as unknown as { letters: { totals: Record<string, number> }[] }).letters[0].totals).toMatchObject({ queued: 2, cancelled: 3 });

      const list = await t.http().get(`/api/v1/campaigns/${campaign.id}/invalidations`).set(auth());
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [record], nextCursor: null });

      // The public pages never showed more than the count: the campaign reads 2.
      const pub = await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200);
      expect(pub.body.signatureCount).toBe(2);
    });

    it('matches an email pattern literally except for *, case-insensitively; refuses %', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      await signAndConfirm(campaign.slug, 'a_b@lit.example');
      await signAndConfirm(campaign.slug, 'axb@lit.example');
      await signAndConfirm(campaign.slug, 'A_Bc@lit.example');
      const exact = await invalidate(campaign.id, { emailPattern: 'A_B@LIT.example', dryRun: true });
      expect(exact.body.matched).toBe(1);
      const star = await invalidate(campaign.id, { emailPattern: 'a_b*', dryRun: true });
      expect(star.body.matched).toBe(2);
      const percent = await invalidate(campaign.id, { emailPattern: 'a%@lit.example', dryRun: true });
      expect(percent.status).toBe(400);
      expect(percent.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field: 'emailPattern' }] });
    });

    it('a confirmation in flight when the invalidation locks its rows is waited for, then invalidated with its tally event', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const email = address('inflight', 'race.example');
      await sign(campaign.slug, email);
      const token = await tokenOf(email);
      // The background fold would fold the two events before they are counted below.
      const loop = t.app.get(TallyFoldLoop).loop;
      await loop.stop();
      try {
        await raceConfirmationWithInvalidation(campaign, email, token);
      } finally {
        loop.start();
      }
      await fold();
      await countReaches(campaign.slug, 0);
      expect(await t.app.get(TallyService).reconcile()).toEqual([]);
    });

    async function raceConfirmationWithInvalidation(campaign: { id: string }, email: string, token: string): Promise<void> {
      const lock = await holdTallyEvents();
      let confirming: Promise<Response> | undefined;
      let invalidating: Promise<Response> | undefined;
      try {
        confirming = confirm(token).then((r) => r); // verified, uncommitted, waiting to write its tally event
        await waitsAt(CONFIRM_EVENT);
        invalidating = invalidate(campaign.id, { domain: 'race.example', reason: 'race' }).then((r) => r); // waits for that row
        await waitsAt(INVALIDATION_LOCK);
      } finally {
        await lock.commitTransaction();
        await lock.release();
      }
      const [confirmed, invalidated] = await Promise.all([confirming, invalidating]);
      expect(confirmed?.status).toBe(200);
      expect(invalidated?.body).toMatchObject({ matched: 1, counted: 1, unconfirmed: 0 });
      const [{ id }] = await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [emailHash(email)]);
      expect(await statusOf(id)).toBe('invalidated');
      const [{ n: events }] = await t.db.query(`SELECT count(*)::int AS n FROM tally_events WHERE campaign_id = $1`, [campaign.id]);
      expect(events).toBe(2); // +1 from the confirmation, -1 from the invalidation, not folded yet
    }

    it('a confirmation after the invalidation\'s snapshot stays verified and counted once (status verified) or finds its signature gone (pending matched)', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const done = address('done', 'late.example');
      const late = address('late', 'late.example');
      const doneId = await signAndConfirm(campaign.slug, done);
      await sign(campaign.slug, late);
      const lateToken = await tokenOf(late);
      await countReaches(campaign.slug, 1);

      // The invalidation takes the verified one and waits, mid-transaction, at its tally event; the late one confirms meanwhile.
      const lock = await holdTallyEvents();
      let invalidating: Promise<Response> | undefined;
      let confirming: Promise<Response> | undefined;
      try {
        invalidating = invalidate(campaign.id, { domain: 'late.example', status: 'verified', reason: 'late' }).then((r) => r);
        await waitsAt(INVALIDATION_EVENTS);
        confirming = confirm(lateToken).then((r) => r);
        await waitsAt(CONFIRM_EVENT);
      } finally {
        await lock.commitTransaction();
        await lock.release();
      }
      const [invalidated, confirmed] = await Promise.all([invalidating, confirming]);
      expect(invalidated?.body).toMatchObject({ matched: 1, counted: 1 });
      expect(confirmed?.status).toBe(200);
      expect(await statusOf(doneId)).toBe('invalidated');
      // The invalidated signature's own link, opened again, is dead too: no "verified" for it.
      const doneAgain = await confirm(await tokenOf(done));
      expect(doneAgain.status).toBe(404);
      expect(doneAgain.body.code).toBe('TOKEN_INVALID');
      const [{ id: lateId }] = await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [emailHash(late)]);
      expect(await statusOf(lateId)).toBe('verified');
      await fold();
      await countReaches(campaign.slug, 1);
      expect(await t.app.get(TallyService).reconcile()).toEqual([]);

      // Without the status filter a pending match is locked first: its confirmation waits, then finds nothing to count.
      const pendingEmail = address('pending', 'late.example');
      await sign(campaign.slug, pendingEmail);
      const pendingToken = await tokenOf(pendingEmail);
      const lock2 = await holdTallyEvents();
      try {
        invalidating = invalidate(campaign.id, { domain: 'late.example', reason: 'all of them' }).then((r) => r);
        await waitsAt(INVALIDATION_EVENTS);
        confirming = confirm(pendingToken).then((r) => r); // waits for the row the invalidation deleted
        await waitsAt(CONFIRM_VERIFY);
      } finally {
        await lock2.commitTransaction();
        await lock2.release();
      }
      const [second, secondConfirm] = await Promise.all([invalidating, confirming]);
      expect(second?.body).toMatchObject({ matched: 2, counted: 1, unconfirmed: 1 });
      // Its signature is gone: the link answers as a dead link, never "verified".
      expect(secondConfirm?.status).toBe(404);
      expect(secondConfirm?.body.code).toBe('TOKEN_INVALID');
      const [{ n: left }] = await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE email_hash = $1`, [emailHash(pendingEmail)]);
      expect(left).toBe(0);
      await fold();
      await countReaches(campaign.slug, 0);
      expect(await t.app.get(TallyService).reconcile()).toEqual([]);
    });

    it('confirmations racing an invalidation (real concurrency) are never lost or double-counted', async () => {
      for (let round = 0; round < 3; round++) {
        const campaign = await createLiveCampaign(t, org.token);
        const racing = Array.from({ length: 20 }, () => address('r', 'flood.example'));
        const honest = Array.from({ length: 10 }, () => address('h'));
        await Promise.all([...racing, ...honest].map((email) => sign(campaign.slug, email)));
        const tokens = new Map<string, string>();
        for (const email of [...racing, ...honest]) tokens.set(email, await tokenOf(email));
        for (const email of racing.slice(0, 5)) expect((await confirm(tokens.get(email)!)).status).toBe(200);

        const confirms = [...racing.slice(5), ...honest].map((email) => confirm(tokens.get(email)!));
        const run = invalidate(campaign.id, { domain: 'flood.example', reason: 'flood' });
        const answers = await Promise.all(confirms);
        const result = await run;
        // A token whose signature was deleted first answers as any unknown token.
        expect(answers.filter((r) => r.status !== 200 && !(r.status === 404 && r.body.code === 'TOKEN_INVALID'))).toEqual([]);
        expect(result.status).toBe(200);
        expect(result.body.matched).toBe(20);

        const rows: { status: string; n: number }[] = await t.db.query(
          `SELECT status, count(*)::int AS n FROM signatures WHERE campaign_id = $1 GROUP BY status ORDER BY status`,
          [campaign.id],
        );
        expect(rows.find((r) => r.status === 'verified')?.n).toBe(10);
        expect(rows.find((r) => r.status === 'invalidated')?.n ?? 0).toBe(result.body.counted);
        await fold();
        await countReaches(campaign.slug, 10);
        const [{ n: unfolded }] = await t.db.query(`SELECT count(*)::int AS n FROM tally_events WHERE campaign_id = $1`, [campaign.id]);
        expect(unfolded).toBe(0);
        expect(await t.app.get(TallyService).reconcile()).toEqual([]);
      }
    });

    it('folds an invalidation\'s negative event only once the confirmation it takes back is folded (another fold\'s batch)', async () => {
      const loop = t.app.get(TallyFoldLoop).loop;
      await loop.stop(); // this test folds by hand, and plays the other fold itself
      const other = t.db.createQueryRunner();
      try {
        const campaign = await createLiveCampaign(t, org.token);
        await signAndConfirm(campaign.slug, address('one', 'fold.example'), 'LB');
        const run = await invalidate(campaign.id, { domain: 'fold.example', reason: 'fold order' });
        expect(run.body).toMatchObject({ counted: 1 });

        // Another fold has taken the +1 into its batch and not committed yet.
        await other.connect();
        await other.startTransaction();
        await other.query(`SELECT id FROM tally_events WHERE campaign_id = $1 AND delta > 0 FOR UPDATE`, [campaign.id]);
        await expect(t.app.get(TallyService).foldAll()).resolves.toBe(0); // the -1 waits: the counter never reads -1
        const [{ n: waiting }] = await t.db.query(`SELECT count(*)::int AS n FROM tally_events WHERE campaign_id = $1`, [campaign.id]);
        expect(waiting).toBe(2);
        await other.rollbackTransaction();

        await expect(t.app.get(TallyService).foldAll()).resolves.toBeGreaterThanOrEqual(2);
        await countReaches(campaign.slug, 0);
        expect((await stats(campaign.id)).byCountry).toEqual([]);
        expect(await t.app.get(TallyService).reconcile()).toEqual([]);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
        loop.start();
      }
    });

    it('refuses hostile input with 400 in the error shape, and changes nothing', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const id = await signAndConfirm(campaign.slug, address('safe'));
      const cases: [Record<string, unknown>, string, string?][] = [
        [{ reason: 'nothing narrows this' }, 'INVALIDATION_CRITERIA_REQUIRED'],
        [{ status: 'verified', reason: 'status alone' }, 'INVALIDATION_CRITERIA_REQUIRED'],
        [{ emailPattern: '%', reason: 'x' }, 'VALIDATION_FAILED', 'emailPattern'],
        [{ emailPattern: "*' OR 1=1 --", reason: 'x' }, 'VALIDATION_FAILED', 'emailPattern'],
        [{ emailPattern: '***', reason: 'x' }, 'VALIDATION_FAILED', 'emailPattern'],
        [{ domain: 'example.org', status: 'invalidated', reason: 'x' }, 'VALIDATION_FAILED', 'status'],
        [{ domain: 'example.org' }, 'VALIDATION_FAILED', 'reason'],
        [{ domain: 'example.org', reason: '' }, 'VALIDATION_FAILED', 'reason'],
        [{ ipHash: 'not-a-hash', reason: 'x' }, 'VALIDATION_FAILED', 'ipHash'],
        [{ from: 'yesterday', reason: 'x' }, 'VALIDATION_FAILED', 'from'],
        [{ from: '2026-05-02', to: '2026-05-01', reason: 'x' }, 'VALIDATION_FAILED', 'to'],
        [{ domain: 'example.org', reason: 'x', extra: 1 }, 'VALIDATION_FAILED'],
        [{ domain: ['example.org'], reason: 'x' }, 'VALIDATION_FAILED', 'domain'],
      ];
      for (const [body, code, field] of cases) {
        const res = await invalidate(campaign.id, body);
        expect([res.status, res.body.code, JSON.stringify(body)]).toEqual([400, code, JSON.stringify(body)]);
        expect(res.body).toEqual(expect.objectContaining({ statusCode: 400, message: expect.any(String) }));
        if (field) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const heldBase = `/api/v1/campaigns/${campaign.id}/signatures/held`;
      const heldCases: [string, Record<string, unknown>, string][] = [
        ['release', {}, 'HELD_SELECTION_REQUIRED'],
        ['release', { ids: [id], all: true }, 'HELD_SELECTION_REQUIRED'],
        ['discard', { all: false }, 'HELD_SELECTION_REQUIRED'],
        ['discard', { ids: ['not-a-uuid'] }, 'VALIDATION_FAILED'],
        ['release', { ids: [] }, 'VALIDATION_FAILED'],
        ['release', { all: true, reason: "x'; DROP TABLE signatures; --" }, 'VALIDATION_FAILED'],
      ];
      for (const [verb, body, code] of heldCases) {
        const res = await t.http().post(`${heldBase}/${verb}`).set(auth()).send(body);
        expect([res.status, res.body.code]).toEqual([400, code]);
      }
      for (const query of [{ cursor: 'garbage!' }, { cursor: Buffer.from(`2026-02-30T10:00:00.000000Z|${id}`).toString('base64url') }, { limit: 0 }, { limit: 'many' }]) {
        const res = await t.http().get(heldBase).query(query).set(auth());
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        const list = await t.http().get(`/api/v1/campaigns/${campaign.id}/invalidations`).query(query).set(auth());
        expect([list.status, list.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect(await statusOf(id)).toBe('verified');
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM invalidations WHERE campaign_id = $1`, [campaign.id]);
      expect(n).toBe(0);
    });

    it('answers 403 for another organisation\'s campaign, 404 for none, 401 without a token; admins may act', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const heldId = await held(campaign.id, address('held'));
      const routes = (id: string): [string, string, Record<string, unknown>?][] => [
        ['get', `/api/v1/campaigns/${id}/signatures/held`],
        ['post', `/api/v1/campaigns/${id}/signatures/held/release`, { all: true }],
        ['post', `/api/v1/campaigns/${id}/signatures/held/discard`, { all: true }],
        ['post', `/api/v1/campaigns/${id}/invalidations`, { domain: 'example.org', reason: 'x' }],
        ['get', `/api/v1/campaigns/${id}/invalidations`],
      ];
      const call = (method: string, path: string, body: Record<string, unknown> | undefined, headers: Record<string, string>) =>
        method === 'get' ? t.http().get(path).set(headers) : t.http().post(path).set(headers).send(body ?? {});
      for (const [method, path, body] of routes(campaign.id)) {
        const res = await call(method, path, body, auth(other));
        expect([path, res.status, res.body.code]).toEqual([path, 403, 'CAMPAIGN_FORBIDDEN']);
        const anonymous = await call(method, path, body, {});
        expect([path, anonymous.status, anonymous.body.code]).toEqual([path, 401, 'AUTH_REQUIRED']);
      }
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        for (const [method, path, body] of routes(id)) {
          const res = await call(method, path, body, auth());
          expect([path, res.status, res.body.code]).toEqual([path, 404, 'CAMPAIGN_NOT_FOUND']);
        }
      }
      expect(await statusOf(heldId)).toBe('held');

      const admin = { Authorization: `Bearer ${await t.adminToken()}` };
      const list = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures/held`).set(admin);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([heldId]);
      const dry = await t.http().post(`/api/v1/campaigns/${campaign.id}/invalidations`).set(admin).send({ domain: 'example.org', dryRun: true });
      expect(dry.body).toMatchObject({ matched: 1, unconfirmed: 1 });
    });
  });
});
