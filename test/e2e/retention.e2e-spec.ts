import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BlindIndex } from '../../src/infra/crypto/blind-index';
import { JobName, QueueName } from '../../src/infra/queue/queue-names';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { TallyService } from '../../src/modules/tally/tally.service';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const CLI = join(__dirname, '../../dist/src/cli.js');
const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

/** Settings of this file, for the app and for the CLI it runs: batches of 2, so every rule takes several. */
const SETTINGS = {
  PENDING_RETENTION_DAYS: '30',
  MAIL_RETENTION_DAYS: '30',
  SIGNATURE_RETENTION_DAYS_AFTER_CLOSE: '180',
  RETENTION_BATCH_SIZE: '2',
  // Never at the time this file runs: only the test starts a run.
  RETENTION_CRON: '0 0 29 2 *',
};

type Row = Record<string, unknown>;

/**
 * Retention against the real app: campaigns and signatures made through the API (signing,
 * confirming with the link the SMTP sink received, the page form's honeypot for held ones), the
 * clocks moved back with SQL; then a dry run that changes nothing, a real run from the CLI, and
 * what supporters, organisers and the public see after it.
 */
describe('retention (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  const smtp = new SmtpSink();
  const auth = () => ({ Authorization: `Bearer ${org.token}` });
  let index: BlindIndex;

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      // One letter an hour per target: the first supporter's leaves, the others' wait (unsent).
      LETTER_PACE_PER_HOUR: '1',
      CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600',
      ...SETTINGS,
    });
    org = await createOrganiserWithOrganisation(t);
    index = t.app.get(BlindIndex);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // ── helpers ─────────────────────────────────────────────────────────────────

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx nest build first`);
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...SETTINGS }, timeout: 30000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  const sign = (slug: string, body: Record<string, unknown>) => t.http().post(`/api/v1/campaigns/${slug}/signatures`).send(body).expect(202);

  /** Signed on the page form with its honeypot filled: stored held, mailed nothing. */
  async function signHeld(slug: string, name: string, email: string): Promise<void> {
    const res = await t.http().post(`/en/c/${slug}`).set(SAME_ORIGIN).type(FORM).send({ name, email, country: 'IQ', website: 'https://spam.example' });
    expect([res.status, res.headers.location]).toEqual([303, `/en/c/${slug}/check-email`]);
  }

  const signatureId = async (campaignId: string, email: string): Promise<string> =>
    (await t.db.query(`SELECT id FROM signatures WHERE campaign_id = $1 AND email_hash = $2`, [campaignId, index.email(email)]))[0]?.id;

  const action = (id: string, verb: 'close' | 'publish' | 'win') => t.http().post(`/api/v1/campaigns/${id}/${verb}`).set(auth()).send({}).expect(200);

  /** Every row of the tables retention may touch, in a stable order: the whole state it could change. */
  async function dump(): Promise<Record<string, Row[]>> {
    const tables: Record<string, string> = {
      signatures: 'SELECT * FROM signatures ORDER BY id',
      signature_tokens: 'SELECT * FROM signature_tokens ORDER BY token_hash',
      mail_outbox: 'SELECT * FROM mail_outbox ORDER BY id',
      letters: 'SELECT * FROM letters ORDER BY id',
      campaigns: 'SELECT * FROM campaigns ORDER BY id',
      campaign_counters: 'SELECT * FROM campaign_counters ORDER BY campaign_id',
      campaign_country_counters: 'SELECT * FROM campaign_country_counters ORDER BY campaign_id, country',
      campaign_day_counters: 'SELECT * FROM campaign_day_counters ORDER BY campaign_id, day',
      tally_events: 'SELECT * FROM tally_events ORDER BY id',
      audit_events: 'SELECT * FROM audit_events ORDER BY id',
    };
    const out: Record<string, Row[]> = {};
    for (const [name, sql] of Object.entries(tables)) out[name] = await t.db.query(sql);
    return out;
  }

  /** What the public and the organisers see of a campaign's count. */
  async function counts(campaign: { id: string; slug: string }) {
    const count = await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`).expect(200);
    const stats = await t.http().get(`/api/v1/campaigns/${campaign.id}/stats`).set(auth()).expect(200);
    const { verified, byCountry, byDay, milestones } = stats.body;
    return { public: count.body.verified as number, verified, byCountry, byDay, milestones };
  }

  const organisersView = async (id: string) => {
    const res = await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).query({ pageSize: 50 }).set(auth()).expect(200);
    return (res.body.items as Row[]).find((c) => c.id === id);
  };

  const signaturesOf = (campaignId: string): Promise<Row[]> => t.db.query(`SELECT * FROM signatures WHERE campaign_id = $1 ORDER BY id`, [campaignId]);

  // ── the scene ───────────────────────────────────────────────────────────────

  let old: { id: string; slug: string };
  let wonLongAgo: { id: string; slug: string };
  let recent: { id: string; slug: string };
  let reopened: { id: string; slug: string };
  let live: { id: string; slug: string };
  const ids: Record<string, string> = {};
  let before: Record<string, Row[]>;
  let countsBefore: Record<string, Awaited<ReturnType<typeof counts>>>;
  let oldMailUnsent: string;

  it('sets the scene through the API, then moves the clocks back', async () => {
    const letter = { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} of {{supporter.city}} asks you to act.' };
    old = await createLiveCampaign(t, org.token, { letter });
    await t.http().post(`/api/v1/campaigns/${old.id}/targets`).set(auth()).send({ name: 'World Heritage Centre', email: 'whc@unesco.example.org' }).expect(201);
    wonLongAgo = await createLiveCampaign(t, org.token);
    recent = await createLiveCampaign(t, org.token);
    reopened = await createLiveCampaign(t, org.token);
    live = await createLiveCampaign(t, org.token);

    // The old campaign: three supporters counted (two countries), one who never confirmed, one held.
    await signAndConfirm(t, smtp, old.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ', city: 'Basra', comment: 'For my grandmother' });
    await signAndConfirm(t, smtp, old.slug, { name: 'Omar Ali', email: 'omar@example.org', country: 'IQ', city: 'Najaf' });
    await signAndConfirm(t, smtp, old.slug, { name: 'Rana Saleh', email: 'rana@example.org', country: 'JO' });
    await sign(old.slug, { name: 'Pending Person', email: 'pending.old@example.org', country: 'LB' });
    await smtp.waitFor('pending.old@example.org');
    await signHeld(old.slug, 'Held Person', 'held.old@example.org');
    for (const e of ['layla', 'omar', 'rana', 'pending.old', 'held.old']) ids[e] = await signatureId(old.id, `${e}@example.org`);
    expect(Object.values(ids).every(Boolean)).toBe(true);
    // One letter left (one an hour); the other two wait, unsent.
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [old.id]))[0].n === 1);
    await signAndConfirm(t, smtp, wonLongAgo.slug, { name: 'Sami Won', email: 'sami@example.org', country: 'EG' });
    await signAndConfirm(t, smtp, recent.slug, { name: 'Huda Recent', email: 'huda@example.org', country: 'IQ' });
    await signAndConfirm(t, smtp, reopened.slug, { name: 'Karim Reopened', email: 'karim@example.org', country: 'SY' });

    // The live campaign: one supporter counted; never-confirmed ones on either side of 30 days.
    await signAndConfirm(t, smtp, live.slug, { name: 'Nadia Live', email: 'nadia@example.org', country: 'IQ' });
    for (const e of ['stale', 'fresh', 'resent']) {
      await sign(live.slug, { name: 'Never Confirmed', email: `${e}.pending@example.org`, country: 'IQ' });
      await smtp.waitFor(`${e}.pending@example.org`);
      ids[`${e}.pending`] = await signatureId(live.id, `${e}.pending@example.org`);
    }
    for (const e of ['stale', 'fresh']) {
      await signHeld(live.slug, 'Held Person', `${e}.held@example.org`);
      ids[`${e}.held`] = await signatureId(live.id, `${e}.held@example.org`);
    }
    ids.nadia = await signatureId(live.id, 'nadia@example.org');
    // Every count folded, every email sent.
    await waitUntil(async () => (await counts(old)).public === 3 && (await counts(live)).public === 1 && (await counts(reopened)).public === 1, 10000);
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status <> 'sent'`))[0].n === 0);

    // Closed (or won) through the API; the reopened one is live again.
    for (const c of [old, recent, reopened]) await action(c.id, 'close');
    await action(wonLongAgo.id, 'win');
    await action(reopened.id, 'publish');

    // The clocks, moved back.
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '200 days' WHERE id = $1`, [old.id]);
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '300 days', won_at = now() - interval '181 days' WHERE id = $1`, [wonLongAgo.id]);
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '179 days' WHERE id = $1`, [recent.id]);
    const back = (days: number) => `now() - interval '${days} days'`;
    await t.db.query(`UPDATE signature_tokens SET expires_at = ${back(31)} WHERE signature_id = $1`, [ids['stale.pending']]);
    await t.db.query(`UPDATE signatures SET created_at = ${back(38)} WHERE id = $1`, [ids['stale.pending']]);
    await t.db.query(`UPDATE signature_tokens SET expires_at = ${back(29)} WHERE signature_id = $1`, [ids['fresh.pending']]);
    // Made 40 days ago, but its link was sent again since: it counts from the last link.
    await t.db.query(`UPDATE signatures SET created_at = ${back(40)} WHERE id = $1`, [ids['resent.pending']]);
    await t.db.query(`UPDATE signatures SET created_at = ${back(31)} WHERE id = $1`, [ids['stale.held']]);
    await t.db.query(`UPDATE signatures SET created_at = ${back(29)} WHERE id = $1`, [ids['fresh.held']]);
    // Mail: Nadia's confirmation sent 31 days ago, Huda's 29; Karim's failed for good, queued 40 days ago.
    const mailOf = async (id: string) => (await t.db.query(`SELECT id FROM mail_outbox WHERE signature_id = $1`, [id]))[0].id as string;
    ids.huda = await signatureId(recent.id, 'huda@example.org');
    ids.karim = await signatureId(reopened.id, 'karim@example.org');
    await t.db.query(`UPDATE mail_outbox SET sent_at = ${back(31)} WHERE id = $1`, [await mailOf(ids.nadia)]);
    await t.db.query(`UPDATE mail_outbox SET sent_at = ${back(29)} WHERE id = $1`, [await mailOf(ids.huda)]);
    await t.db.query(`UPDATE mail_outbox SET status = 'failed', sent_at = NULL, created_at = ${back(40)} WHERE id = $1`, [await mailOf(ids.karim)]);
    // An email about an old supporter still being sent (its sender holds the lease): unsent.
    oldMailUnsent = await mailOf(ids['pending.old']);
    // (Queued 40 days ago: unsent mail is never purged by its age, only with its signature.)
    await t.db.query(
      `UPDATE mail_outbox SET status = 'pending', sent_at = NULL, created_at = ${back(40)}, enqueued_at = now(), lease_until = now() + interval '1 hour'
        WHERE id = $1`,
      [oldMailUnsent],
    );

    countsBefore = {};
    for (const [name, c] of Object.entries({ old, wonLongAgo, recent, reopened, live })) countsBefore[name] = await counts(c);
    expect(countsBefore.old).toMatchObject({
      public: 3,
      verified: 3,
      byCountry: expect.arrayContaining([{ country: 'IQ', verified: 2 }, { country: 'JO', verified: 1 }]),
    });
    before = await dump();
  });

  it('shows organisers when each campaign\'s supporters will be anonymised', async () => {
    const DAY = 86_400_000;
    const shown = async (id: string) => {
      const c = await organisersView(id);
      return { at: c?.supporterDataAnonymisedAt as string | null, done: c?.supporterDataAnonymised };
    };
    const closedAt = async (id: string) => new Date((await t.db.query(`SELECT greatest(closed_at, won_at) AS at FROM campaigns WHERE id = $1`, [id]))[0].at);
    expect(await shown(old.id)).toEqual({ at: new Date((await closedAt(old.id)).getTime() + 180 * DAY).toISOString(), done: false });
    expect(await shown(wonLongAgo.id)).toEqual({ at: new Date((await closedAt(wonLongAgo.id)).getTime() + 180 * DAY).toISOString(), done: false });
    expect(new Date((await shown(recent.id)).at ?? 0).getTime()).toBeGreaterThan(Date.now());
    expect(await shown(reopened.id)).toEqual({ at: null, done: false });
    expect(await shown(live.id)).toEqual({ at: null, done: false });
  });

  it('a dry run reports what it would do and changes nothing', async () => {
    const report = await t.app.get(RetentionService).run({ dryRun: true });
    expect(report).toEqual({
      dryRun: true,
      pendingRetentionDays: 30,
      mailRetentionDays: 30,
      signatureRetentionDaysAfterClose: 180,
      updateDeliveryRetentionDays: 30,
      unconfirmedDeleted: 2,
      emailsPurged: 2,
      campaignsAnonymised: 2,
      signaturesAnonymised: 6,
      lettersCancelled: null,
      updateDeliveriesPurged: 0,
    });
    const fromCli = await cli('retention:run', '--dry-run');
    expect(fromCli).toMatchObject({ code: 0, stderr: '' });
    expect(fromCli.stdout).toBe(
      [
        'Retention, dry run (nothing was changed):',
        '  would delete 2 never-confirmed signatures (pending or held, last link expired or made over 30 days ago), with their tokens and emails',
        '  would purge 2 sent or failed emails older than 30 days',
        '  would anonymise 6 signatures of 2 campaigns closed or won over 180 days ago; counts and breakdowns unchanged',
        '  would delete 0 update delivery rows of sends finished over 30 days ago (the updates keep their counts)',
        '',
      ].join('\n'),
    );
    expect(await dump()).toEqual(before);
  });

  it('refuses an unknown option rather than running for real', async () => {
    const typo = await cli('retention:run', '--dryrun');
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('retention:run [--dry-run]');
    expect(await dump()).toEqual(before);
  });

  it('the real run (CLI) deletes, purges and anonymises what it reported, and prints it', async () => {
    const run = await cli('retention:run');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Retention:',
        '  deleted 2 never-confirmed signatures (pending or held, last link expired or made over 30 days ago), with their tokens and emails',
        '  purged 2 sent or failed emails older than 30 days',
        '  anonymised 6 signatures of 2 campaigns closed or won over 180 days ago (2 unsent letters cancelled); counts and breakdowns unchanged',
        '  deleted 0 update delivery rows of sends finished over 30 days ago (the updates keep their counts)',
        '',
      ].join('\n'),
    );
  });

  it('deleted the never-confirmed signatures past 30 days, with their tokens and emails, and only those', async () => {
    const remaining = async (id: string) => ({
      signature: (await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE id = $1`, [id]))[0].n,
      tokens: (await t.db.query(`SELECT count(*)::int AS n FROM signature_tokens WHERE signature_id = $1`, [id]))[0].n,
      mail: (await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE signature_id = $1`, [id]))[0].n,
    });
    expect(await remaining(ids['stale.pending'])).toEqual({ signature: 0, tokens: 0, mail: 0 });
    expect(await remaining(ids['stale.held'])).toEqual({ signature: 0, tokens: 0, mail: 0 });
    expect(await remaining(ids['fresh.pending'])).toEqual({ signature: 1, tokens: 1, mail: 1 });
    expect(await remaining(ids['resent.pending'])).toEqual({ signature: 1, tokens: 1, mail: 1 });
    expect(await remaining(ids['fresh.held'])).toEqual({ signature: 1, tokens: 0, mail: 0 });
  });

  it('purged the sent or failed emails past 30 days, and only those', async () => {
    const mailOf = async (id: string) => (await t.db.query(`SELECT status FROM mail_outbox WHERE signature_id = $1`, [id])).map((r: Row) => r.status);
    expect(await mailOf(ids.nadia)).toEqual([]);
    expect(await mailOf(ids.karim)).toEqual([]);
    expect(await mailOf(ids.huda)).toEqual(['sent']);
    const purged = before.mail_outbox.filter((m) => !m.to_organiser_id && [ids.nadia, ids.karim].includes(m.signature_id as string));
    const gone = [...purged.map((m) => m.id), oldMailUnsent];
    const after = (await t.db.query(`SELECT id FROM mail_outbox`)).map((r: Row) => r.id);
    // Every other email is still there.
    expect(after.sort()).toEqual(
      before.mail_outbox
        .map((m) => m.id)
        .filter((id) => !gone.includes(id) && !before.mail_outbox.find((m) => m.id === id && [ids['stale.pending'], ids['stale.held']].includes(m.signature_id as string)))
        .sort(),
    );
  });

  it('anonymised every supporter of the campaigns closed or won over 180 days ago: nothing identifying left, status, country and days kept', async () => {
    for (const c of [old, wonLongAgo]) {
      const beforeRows = before.signatures.filter((s) => s.campaign_id === c.id);
      const rows = await signaturesOf(c.id);
      expect(rows.map((s) => s.id)).toEqual(beforeRows.map((s) => s.id));
      rows.forEach((s, i) => {
        expect(s).toMatchObject({ email: null, email_hash: null, name: null, city: null, comment: null, email_domain: null, ip_hash: null, data_key: null });
        expect(s.anonymised_at).toBeInstanceOf(Date);
        const kept = ['status', 'country', 'created_at', 'verified_at', 'locale', 'show_name', 'held_reason'] as const;
        for (const k of kept) expect([k, s[k]]).toEqual([k, beforeRows[i][k]]);
      });
      const ids = rows.map((s) => s.id);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM signature_tokens WHERE signature_id = ANY($1::uuid[])`, [ids]))[0].n).toBe(0);
    }
    expect((await signaturesOf(old.id)).map((s) => s.status).sort()).toEqual(['held', 'pending', 'verified', 'verified', 'verified']);
    // The email still being sent about one of them is gone; the ones sent stay until MAIL_RETENTION_DAYS.
    expect(await t.db.query(`SELECT id FROM mail_outbox WHERE id = $1`, [oldMailUnsent])).toEqual([]);
    // Letters: the one that left stays sent; the two waiting are cancelled, saying why.
    const letters: Row[] = await t.db.query(`SELECT status, last_error FROM letters WHERE campaign_id = $1 ORDER BY status`, [old.id]);
    expect(letters).toEqual([
      { status: 'cancelled', last_error: "Cancelled: the supporter's data was anonymised." },
      { status: 'cancelled', last_error: "Cancelled: the supporter's data was anonymised." },
      { status: 'sent', last_error: null },
    ]);
    // Organisers see it done.
    const shown = await organisersView(old.id);
    const [{ at }] = await t.db.query(`SELECT supporters_anonymised_at AS at FROM campaigns WHERE id = $1`, [old.id]);
    expect(shown).toMatchObject({ supporterDataAnonymised: true, supporterDataAnonymisedAt: (at as Date).toISOString() });
  });

  it('left the counts and their breakdowns exactly as they were, and the reconciliation agrees', async () => {
    for (const [name, c] of Object.entries({ old, wonLongAgo, recent, reopened, live })) {
      expect([name, await counts(c)]).toEqual([name, countsBefore[name]]);
    }
    for (const table of ['campaign_counters', 'campaign_country_counters', 'campaign_day_counters', 'tally_events']) {
      expect([table, (await dump())[table]]).toEqual([table, before[table]]);
    }
    await expect(t.app.get(TallyService).reconcile()).resolves.toEqual([]);
  });

  it('left the campaign closed 179 days ago, the reopened one and the live one untouched (beyond the never-confirmed)', async () => {
    for (const c of [recent, reopened]) {
      expect(await signaturesOf(c.id)).toEqual(before.signatures.filter((s) => s.campaign_id === c.id));
    }
    const gone = [ids['stale.pending'], ids['stale.held']];
    expect(await signaturesOf(live.id)).toEqual(before.signatures.filter((s) => s.campaign_id === live.id && !gone.includes(s.id as string)));
    expect((await organisersView(recent.id))?.supporterDataAnonymised).toBe(false);
  });

  it('recorded the run in the audit log, and each campaign anonymised in its organisation\'s', async () => {
    const events: Row[] = await t.db.query(
      `SELECT actor_kind, organisation_id, campaign_id, details FROM audit_events WHERE action = 'retention.run' ORDER BY at, id`,
    );
    const campaignEvents = events.filter((e) => e.campaign_id !== null);
    expect(campaignEvents.map((e) => [e.campaign_id, e.organisation_id, e.details])).toEqual(
      expect.arrayContaining([
        [old.id, org.organisationId, { signaturesAnonymised: 5, lettersCancelled: 2 }],
        [wonLongAgo.id, org.organisationId, { signaturesAnonymised: 1, lettersCancelled: 0 }],
      ]),
    );
    expect(events.filter((e) => e.campaign_id === null).map((e) => e.details)).toEqual([
      { unconfirmedDeleted: 2, emailsPurged: 2, campaignsAnonymised: 2, signaturesAnonymised: 6, lettersCancelled: 2, updateDeliveriesPurged: 0 },
    ]);
    expect(events.every((e) => e.actor_kind === 'system')).toBe(true);
    const seen = await t.http().get('/api/v1/audit').query({ action: 'retention.run' }).set(auth()).expect(200);
    expect(seen.body.items.map((e: Row) => e.campaignId).sort()).toEqual([old.id, wonLongAgo.id].sort());
  });

  it('a second run finds nothing more to do', async () => {
    const again = await t.app.get(RetentionService).run({ dryRun: false });
    expect(again).toMatchObject({ unconfirmedDeleted: 0, emailsPurged: 0, campaignsAnonymised: 0, signaturesAnonymised: 0, lettersCancelled: 0 });
  });

  it('someone anonymised who signs a live campaign is a new supporter, mailed and counted', async () => {
    const liveBefore = (await counts(live)).public;
    const mailsBefore = smtp.to('layla@example.org').length;
    await sign(live.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' });
    const mails = await smtp.waitFor('layla@example.org', mailsBefore + 1);
    const token = new URL(confirmLink(mails[mails.length - 1])).pathname.split('/').pop();
    await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
    await waitUntil(async () => (await counts(live)).public === liveBefore + 1);
    // The old campaign still has no way back to her.
    expect(await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [index.email('layla@example.org')])).toHaveLength(1);
  });

  it('a campaign reopened after its supporters were anonymised starts its clock again at its next close', async () => {
    await action(old.id, 'publish');
    expect(await organisersView(old.id)).toMatchObject({ status: 'live', supporterDataAnonymisedAt: null, supporterDataAnonymised: false });
    await action(old.id, 'close');
    const shown = await organisersView(old.id);
    expect(new Date(shown?.supporterDataAnonymisedAt as string).getTime()).toBeGreaterThan(Date.now() + 179 * 86_400_000);
    expect(shown?.supporterDataAnonymised).toBe(false);
  });

  it('the daily job runs the same rules in a worker', async () => {
    // A campaign closed long ago, made after the runs above.
    const late = await createLiveCampaign(t, org.token);
    await signAndConfirm(t, smtp, late.slug, { name: 'Yusuf Late', email: 'yusuf@example.org', country: 'IQ' });
    await action(late.id, 'close');
    await t.db.query(`UPDATE campaigns SET closed_at = now() - interval '181 days' WHERE id = $1`, [late.id]);
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Retention));
    const job = await queue.add(JobName.RetentionRun, {});
    await waitUntil(async () => (await job.getState()) === 'completed', 15000);
    const done = await queue.getJob(job.id ?? '');
    expect(done?.returnvalue).toMatchObject({ dryRun: false, campaignsAnonymised: 1, signaturesAnonymised: 1 });
    expect((await signaturesOf(late.id)).map((s) => [s.status, s.email, s.name])).toEqual([['verified', null, null]]);
  });
});
