import type { Response } from 'supertest';
import { CURSOR_AT_SQL } from '../../src/common/keyset-cursor';
import { SIGNATURE_LOOKUP_SQL, SIGNATURE_PAGE_SQL } from '../../src/modules/signatures/signature-list.repository';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { planNodes, planOf } from '../support/query-plan';
import { SmtpSink } from '../support/smtp-sink';
import { emailHash, sealed } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The organisers' list of a campaign's signatures and its CSV export, against the real app,
 * PostgreSQL and the SMTP sink: supporters sign (in Arabic) and confirm through the API; a held, an
 * anonymised and a few rows with formula-like values (which the signing path refuses today, but
 * older rows or another path could hold) are written sealed, as the app stores them.
 */
describe('signatures list and CSV export (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let campaign: { id: string; slug: string };
  const smtp = new SmtpSink();
  const ids: Record<string, string> = {};

  const auth = (login: OrganiserLogin = org) => ({ Authorization: `Bearer ${login.token}` });
  const list = (query: Record<string, string | number> = {}, login = org, id = campaign.id) =>
    t.http().get(`/api/v1/campaigns/${id}/signatures`).query(query).set(auth(login));
  const exportCsv = (query: Record<string, string> = {}, login = org, id = campaign.id) =>
    t
      .http()
      .get(`/api/v1/campaigns/${id}/signatures.csv`)
      .query(query)
      .set(auth(login))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  const idOf = async (email: string) => ((await t.db.query(`SELECT id FROM signatures WHERE email_hash = $1`, [emailHash(email)]))[0] as { id: string }).id;

  /** A row written as the app stores one: sealed values, the blind index, the domain. */
  async function insert(campaignId: string, row: { email: string; name: string; city?: string; comment?: string; status: string; heldReason?: string; contactConsent: boolean; createdAt: string }): Promise<string> {
    const [{ id }] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, comment, locale, status, held_reason,
                               contact_consent, created_at, verified_at, contact_organisation_ids)
       VALUES ($1, $2, $3, split_part($4, '@', 2), $5, 'IQ', $6, $7, 'ar', $8, $9, $10, $11, CASE WHEN $8 = 'verified' THEN $11::timestamptz END,
               CASE WHEN $10::boolean THEN ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)] ELSE '{}'::uuid[] END)
       RETURNING id`,
      [
        campaignId,
        sealed('email', row.email),
        emailHash(row.email),
        row.email,
        sealed('name', row.name),
        row.city === undefined ? null : sealed('city', row.city),
        row.comment === undefined ? null : sealed('comment', row.comment),
        row.status,
        row.heldReason ?? null,
        row.contactConsent,
        row.createdAt,
      ],
    );
    return id as string;
  }

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), MAIL_BACKOFF_MS: '50', MAIL_RELAY_INTERVAL_MS: '100', MAIL_CONCURRENCY: '10' });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    campaign = await createLiveCampaign(t, org.token);
    const sign = (body: Record<string, unknown>) => t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send(body);

    // Through the API: verified (Arabic, consenting; Arabic, not consenting), pending, invalidated.
    await signAndConfirm(t, smtp, campaign.slug, {
      name: 'ليلى حسن',
      city: 'البصرة',
      comment: 'أوقفوا تجفيف الأهوار، الآن',
      email: 'Layla.Hassan+ahwar@gmail.com',
      country: 'IQ',
      showName: true,
      contactConsent: true,
      replyConsent: true,
      locale: 'ar',
    });
    ids.layla = await idOf('Layla.Hassan+ahwar@gmail.com');
    await signAndConfirm(t, smtp, campaign.slug, { name: 'عمر علي', city: 'القاهرة', email: 'omar@example.org', country: 'EG', contactConsent: false });
    ids.omar = await idOf('omar@example.org');
    expect((await sign({ name: 'Sara Pending', email: 'sara@example.org', country: 'IQ', contactConsent: true })).status).toBe(202);
    ids.sara = await idOf('sara@example.org');
    await signAndConfirm(t, smtp, campaign.slug, { name: 'Karim Bot', email: 'karim@bots.example', country: 'LB', contactConsent: true });
    ids.karim = await idOf('karim@bots.example');
    const invalidated = await t.http().post(`/api/v1/campaigns/${campaign.id}/invalidations`).set(auth()).send({ domain: 'bots.example', reason: 'bots' });
    expect(invalidated.body.matched).toBe(1);

    // Written sealed, all at one instant (ties broken by id): held, formula-like values, anonymised.
    const at = '2026-01-01T10:00:00.123456Z';
    ids.held = await insert(campaign.id, {
      email: 'held@example.org',
      name: '=HYPERLINK("http://evil.example","click")',
      city: '+cmd|/c calc',
      comment: '@SUM(A1:A9)',
      status: 'held',
      heldReason: 'ip_burst',
      contactConsent: true,
      createdAt: at,
    });
    ids.formula = await insert(campaign.id, {
      email: '+promo@example.org',
      name: '-1',
      city: '=1+1',
      comment: 'قال: "كفى"،\nسطر ثان',
      status: 'verified',
      contactConsent: true,
      createdAt: at,
    });
    ids.gone = await insert(campaign.id, { email: 'gone@example.org', name: 'x', status: 'verified', contactConsent: true, createdAt: at });
    await t.db.query(
      `UPDATE signatures SET email = NULL, email_hash = NULL, name = NULL, city = NULL, comment = NULL, email_domain = NULL,
                             data_key = NULL, anonymised_at = now() WHERE id = $1`,
      [ids.gone],
    );

    // Another campaign of the same organisation: never in this one's list.
    const second = await createLiveCampaign(t, org.token);
    await insert(second.id, { email: 'elsewhere@example.org', name: 'Elsewhere', status: 'verified', contactConsent: true, createdAt: at });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  const itemIds = (res: Response) => (res.body.items as { id: string }[]).map((i) => i.id);
  const sorted = (xs: string[]) => [...xs].sort();

  it('lists every signature of the campaign, newest first, with what organisers may see', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(sorted(itemIds(res))).toEqual(sorted(Object.values(ids)));
    expect(res.body.nextCursor).toBeNull();
    const created = (res.body.items as { createdAt: string }[]).map((i) => i.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    const byId = new Map((res.body.items as Record<string, unknown>[]).map((i) => [i.id, i]));
    expect(byId.get(ids.layla)).toEqual({
      id: ids.layla,
      status: 'verified',
      country: 'IQ',
      createdAt: expect.any(String),
      verifiedAt: expect.any(String),
      name: 'ليلى حسن',
      city: 'البصرة',
      comment: 'أوقفوا تجفيف الأهوار، الآن',
      showName: true,
      contactConsent: true,
      replyConsent: true,
      locale: 'ar',
      heldReason: null,
      anonymised: false,
      email: 'Layla.Hassan+ahwar@gmail.com',
    });
    // The email only with consent; never once anonymised.
    expect(byId.get(ids.omar)).toMatchObject({ name: 'عمر علي', contactConsent: false, email: null });
    expect(byId.get(ids.sara)).toMatchObject({ status: 'pending', verifiedAt: null, email: 'sara@example.org' });
    expect(byId.get(ids.karim)).toMatchObject({ status: 'invalidated', email: 'karim@bots.example' });
    expect(byId.get(ids.held)).toMatchObject({ status: 'held', heldReason: 'ip_burst', name: '=HYPERLINK("http://evil.example","click")' });
    expect(byId.get(ids.gone)).toMatchObject({ anonymised: true, name: null, city: null, email: null, contactConsent: true });
  });

  it('pages with the cursor: every row once, none missed, across rows signed at the same instant', async () => {
    const all = itemIds(await list());
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await list(cursor ? { limit, cursor } : { limit });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...itemIds(res));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all);
    }
    // And within a window of time (the first page starts at `to`, the last ends at `from`).
    const windows: Record<string, string>[] = [{ to: '2026-01-02' }, { from: '2026-01-01', to: '2026-01-02' }, { from: '2026-01-02' }, { to: '2026-01-01T10:00:00.123456Z' }];
    for (const window of windows) {
      const whole = itemIds(await list(window));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await list(cursor ? { ...window, limit: 1, cursor } : { ...window, limit: 1 });
        seen.push(...itemIds(res));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(whole);
    }
  });

  it('filters by status, country, date and exact email', async () => {
    expect(sorted(itemIds(await list({ status: 'verified' })))).toEqual(sorted([ids.layla, ids.omar, ids.formula, ids.gone]));
    expect(itemIds(await list({ status: 'pending' }))).toEqual([ids.sara]);
    expect(itemIds(await list({ status: 'held' }))).toEqual([ids.held]);
    expect(itemIds(await list({ status: 'invalidated' }))).toEqual([ids.karim]);
    expect(itemIds(await list({ country: 'eg' }))).toEqual([ids.omar]);
    expect(sorted(itemIds(await list({ from: '2026-01-01', to: '2026-01-02' })))).toEqual(sorted([ids.held, ids.formula, ids.gone]));
    expect(itemIds(await list({ from: '2026-01-01T10:00:00.124Z', to: '2026-01-02' }))).toEqual([]);
    // `to` excludes its instant, `from` includes it (the three rows share 10:00:00.123456).
    expect(itemIds(await list({ from: '2026-01-01', to: '2026-01-01T10:00:00.123Z' }))).toEqual([]);
    expect(sorted(itemIds(await list({ from: '2026-01-01T10:00:00.123Z', to: '2026-01-01T10:00:00.124Z' })))).toEqual(sorted([ids.held, ids.formula, ids.gone]));
    expect(sorted(itemIds(await list({ from: '2026-01-02' })))).toEqual(sorted([ids.layla, ids.omar, ids.sara, ids.karim]));
    expect(itemIds(await list({ status: 'verified', country: 'IQ', to: '2026-01-02' }))).toEqual(itemIds(await list({ status: 'verified', to: '2026-01-02', country: 'IQ' })));
    // Exact: any case, and as signing compares addresses (Gmail without dots or +tag).
    expect(itemIds(await list({ email: 'LAYLA.HASSAN+ahwar@GMAIL.com' }))).toEqual([ids.layla]);
    expect(itemIds(await list({ email: 'laylahassan@googlemail.com' }))).toEqual([ids.layla]);
    expect(itemIds(await list({ email: 'omar@example.org' }))).toEqual([ids.omar]);
    expect(itemIds(await list({ email: 'layla@example.org' }))).toEqual([]);
    expect(itemIds(await list({ email: 'omar@example.org', status: 'pending' }))).toEqual([]);
  });

  it('refuses a bad query with 400 VALIDATION_FAILED naming the field', async () => {
    for (const [query, field] of [
      [{ status: 'deleted' }, 'status'],
      [{ country: 'XX' }, 'country'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-02-30' }, 'to'],
      [{ from: '2026-01-02', to: '2026-01-01' }, 'to'],
      [{ email: 'not an email' }, 'email'],
      [{ cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      [{ limit: 0 }, 'limit'],
      [{ unknown: 'x' }, 'unknown'],
    ] as [Record<string, string | number>, string][]) {
      const res = await list(query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
      const csv = await exportCsv(Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'cursor' && k !== 'limit')) as Record<string, string>);
      if (field !== 'cursor' && field !== 'limit') expect(csv.status).toBe(400);
    }
    // Paging is the list's: the export refuses it.
    expect((await exportCsv({ limit: '1' })).status).toBe(400);
  });

  it('is the campaign organisation\'s only: another organiser of it may, another organisation may not', async () => {
    const admin = await t.adminToken();
    const email = `second-${Date.now()}@example.org`;
    const created = await t
      .http()
      .post(`/api/v1/organisations/${org.organisationId}/organisers`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ email, password: 'a-long-enough-password', name: 'Second Organiser' });
    expect(created.status).toBe(201);
    const login = await t.http().post('/api/v1/auth/login').send({ email, password: 'a-long-enough-password' });
    const colleague = { ...org, organiserId: created.body.id, token: login.body.accessToken as string };
    expect((await list({}, colleague)).body.items).toHaveLength(Object.keys(ids).length);
    expect((await exportCsv({}, colleague)).status).toBe(200);
    expect((await list({}, { ...org, token: admin })).status).toBe(200);

    const before = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signatures.export'`);
    for (const res of [await list({}, other), await exportCsv({}, other)]) {
      expect(res.status).toBe(403);
      expect(JSON.parse(Buffer.isBuffer(res.body) ? res.body.toString() : JSON.stringify(res.body)).code).toBe('CAMPAIGN_FORBIDDEN');
    }
    expect((await list({}, org, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures`)).status).toBe(401);
    expect((await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures.csv`)).status).toBe(401);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signatures.export'`)).toEqual(before);
  });

  it('exports CSV: a BOM, Arabic intact, formulas neutralised, only supporters who agreed to be contacted, recorded in the audit log', async () => {
    const res = await exportCsv();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${campaign.slug}-signatures.csv"; filename*=UTF-8''${campaign.slug}-signatures.csv`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header).toEqual(['id', 'status', 'country', 'createdAt', 'verifiedAt', 'name', 'city', 'comment', 'showName', 'contactConsent', 'replyConsent', 'locale', 'heldReason', 'anonymised', 'email']);
    // The list's rows of supporters who agreed that this organisation may contact them, in the list's order.
    const listed = (await list()).body.items as { id: string; contactConsent: boolean }[];
    const consenting = listed.filter((i) => i.contactConsent).map((i) => i.id);
    expect(consenting.length).toBeGreaterThan(2);
    expect(consenting.length).toBeLessThan(listed.length);
    expect(rows.map((r) => r[0])).toEqual(consenting);
    expect(rows.map((r) => r[0])).not.toContain(ids.omar);
    const row = (id: string) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === id)![i]]));

    expect(row(ids.layla)).toMatchObject({ status: 'verified', name: 'ليلى حسن', city: 'البصرة', comment: 'أوقفوا تجفيف الأهوار، الآن', contactConsent: 'true', replyConsent: 'true', email: 'Layla.Hassan+ahwar@gmail.com', anonymised: 'false' });
    expect(row(ids.held)).toMatchObject({ status: 'held', heldReason: 'ip_burst', name: `'=HYPERLINK("http://evil.example","click")`, city: "'+cmd|/c calc", comment: "'@SUM(A1:A9)", email: 'held@example.org' });
    expect(row(ids.formula)).toMatchObject({ name: "'-1", city: "'=1+1", comment: 'قال: "كفى"،\nسطر ثان', email: "'+promo@example.org" });
    expect(row(ids.gone)).toMatchObject({ anonymised: 'true', name: '', email: '' });
    // No cell a spreadsheet would run.
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const [event] = await t.db.query(`SELECT * FROM audit_events WHERE action = 'signatures.export' AND actor_id = $1 ORDER BY at DESC LIMIT 1`, [org.organiserId]);
    expect(event).toMatchObject({ actor_kind: 'organiser', campaign_id: campaign.id, organisation_id: org.organisationId });
    expect(event.details).toEqual({ rows: consenting.length, status: null, country: null, from: null, to: null, email: false });
  });

  it('exports what the filters select, and records them', async () => {
    const res = await exportCsv({ status: 'verified', from: '2026-01-01' });
    const [, ...rows] = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    // Omar (verified, of 2026) agreed to be contacted by nobody: not exported.
    expect(sorted(rows.map((r) => r[0]))).toEqual(sorted([ids.layla, ids.formula, ids.gone]));
    const byEmail = parseCsv((await exportCsv({ email: 'laylahassan@gmail.com' })).body.subarray(3).toString('utf8'));
    expect(byEmail.slice(1).map((r) => r[0])).toEqual([ids.layla]);
    const events = await t.db.query(`SELECT details FROM audit_events WHERE action = 'signatures.export' ORDER BY at DESC LIMIT 2`);
    expect(events.map((e: { details: unknown }) => e.details)).toEqual([
      { rows: 1, status: null, country: null, from: null, to: null, email: true },
      { rows: 3, status: 'verified', country: null, from: '2026-01-01T00:00:00.000Z', to: null, email: false },
    ]);
  });

  it('exports a campaign larger than one batch: every consenting row once (2,500 rows signed at one instant, half consenting)', async () => {
    const big = await createLiveCampaign(t, org.token, { slug: 'حملة-كبيرة' });
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, contact_consent, contact_organisation_ids)
       SELECT $1, 'plain:s' || g || '@example.org', 'hash-' || g, 'plain:موقّع ' || g, 'IQ', 'ar', 'verified', now(), g % 2 = 0, CASE WHEN g % 2 = 0 THEN ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)] ELSE '{}'::uuid[] END
         FROM generate_series(1, 2500) AS g`,
      [big.id],
    );
    const res = await exportCsv({}, org, big.id);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="signatures.csv"; filename*=UTF-8''${encodeURIComponent('حملة-كبيرة-signatures.csv')}`);
    const [, ...rows] = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    // Half of them agreed to be contacted: the export holds those, each with the email.
    expect(rows).toHaveLength(1250);
    expect(new Set(rows.map((r) => r[0])).size).toBe(1250);
    expect(rows.filter((r) => /^s\d*[02468]@example\.org$/.test(r[14]))).toHaveLength(1250);
    expect(rows.every((r) => /^موقّع \d+$/.test(r[5]))).toBe(true);
  });

  it('pages rows signed at one instant through the campaign index, sorting nothing (100,000 such rows after 15,000 signed one by one)', async () => {
    const bulk = await createLiveCampaign(t, org.token, { slug: 'one-instant' });
    // One statement's rows share created_at (an import, or the benchmark's million), here after
    // many signed one by one, so the statistics see many distinct instants (small ties), and as wide
    // as sealed rows: compared as (created_at, id), PostgreSQL took signatures_recent_idx and sorted
    // each page's tie anew (38 ms a page here, 0.5 s with the benchmark's million; 2 ms now).
    const wide = `'plain:' || repeat('x', 200)`;
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, created_at)
       SELECT $1, ${wide}, 'earlier-' || g, ${wide}, 'IQ', 'ar', 'pending', now() - make_interval(secs => g)
         FROM generate_series(1, 15000) AS g`,
      [bulk.id],
    );
    await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, name, country, locale, status, verified_at, contact_organisation_ids)
       SELECT $1, ${wide}, 'instant-' || g, ${wide}, 'IQ', 'ar', 'verified', now(), ARRAY[(SELECT organisation_id FROM campaigns WHERE id = $1)]
         FROM generate_series(1, 100000) AS g`,
      [bulk.id],
    );
    await t.db.query('ANALYZE signatures');
    const [mid] = await t.db.query(
      `SELECT ${CURSOR_AT_SQL('created_at')} AS at, id FROM signatures WHERE campaign_id = $1 ORDER BY created_at DESC, id DESC OFFSET 10000 LIMIT 1`,
      [bulk.id],
    );
    const params = [bulk.id, 'verified', null, null, null, null, mid.at, mid.id, 1000, org.organisationId, false];
    const [row] = await t.db.query(`EXPLAIN (FORMAT JSON) ${SIGNATURE_PAGE_SQL}`, params);
    const nodes = planNodes(planOf(row));
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Incremental Sort');
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toEqual(['signatures_campaign_created_idx']);
    // And the page is the next 1,000 of the walk.
    const page = await t.db.query(SIGNATURE_PAGE_SQL, params);
    expect(page).toHaveLength(1000);
    expect(page[0].id < mid.id).toBe(true);

    // A page deep in the walk reads what a page near its start reads: the scan starts at the
    // cursor. Started at the campaign's newest row, the page after 90,000 rows stepped over their
    // index entries first (a list's page of 50: ~17 times the blocks of the page after 1,000).
    const blocksOfPageAfter = async (offset: number): Promise<number> => {
      const [at] = await t.db.query(
        `SELECT ${CURSOR_AT_SQL('created_at')} AS at, id FROM signatures WHERE campaign_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [bulk.id, offset],
      );
      const [explained] = await t.db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${SIGNATURE_PAGE_SQL}`, [bulk.id, null, null, null, null, null, at.at, at.id, 50, org.organisationId, false]);
      const top = planOf(explained);
      expect(top['Actual Rows']).toBe(50);
      return Number(top['Shared Hit Blocks']) + Number(top['Shared Read Blocks']);
    };
    const near = await blocksOfPageAfter(1000);
    const deep = await blocksOfPageAfter(90000);
    expect(deep).toBeLessThan(near * 1.5);

    // An email is looked up by its index, whatever the campaign's size.
    const [lookup] = await t.db.query(`EXPLAIN (FORMAT JSON) ${SIGNATURE_LOOKUP_SQL}`, [bulk.id, null, null, null, null, 'instant-50000', null, null, 50, org.organisationId, false]);
    expect(planNodes(planOf(lookup)).map((n) => n['Index Name']).filter(Boolean)).toEqual(['signatures_email_hash_campaign_key']);
    expect(await t.db.query(SIGNATURE_LOOKUP_SQL, [bulk.id, null, null, null, null, 'instant-50000', null, null, 50, org.organisationId, false])).toHaveLength(1);
  });
});

/** RFC 4180 as the export writes it: CRLF between records, quotes around cells with , " or line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || record.length) throw new Error('the CSV does not end with CRLF');
  return records;
}
