import { Client } from 'pg';
import { freePort, NidaProcess, spawnNida } from '../support/processes';
import { logLines, parseRawResponse, RawRequest, RawResponse, sendHttp, sendRawBytes } from '../support/raw-http';
import { SmtpSink } from '../support/smtp-sink';

type Json = Record<string, unknown>;

/**
 * What a hostile or broken client may send to every route, against the built app as its own process
 * (so its real log is read): U+0000 in any string, in the address or the body; JSON nested
 * thousands deep; compressed or oddly encoded bodies; paths that climb out of /static/; and bytes
 * that are not HTTP at all. Each must get a 4xx in the one error shape with a stable code, change
 * nothing, and leave no "Unhandled" line in the log.
 */
describe('a hostile client', () => {
  const smtp = new SmtpSink();
  let nida: NidaProcess;
  let port: number;
  let db: Client;
  let admin: Record<string, string>;
  /** Ids and names the routes need: a live campaign with a target and a reply, an organisation. */
  const ids = { slug: '', campaignId: '', targetId: '', organisationId: '' };
  /** Every answer that broke the rules, labelled; each test expects none. */
  let problems: string[] = [];

  const NUL = '\u0000';
  const DEEP = `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;

  const send = (req: RawRequest) => sendHttp(port, req);
  const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    send({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  function bodyOf(res: RawResponse): Json | null {
    try {
      const value: unknown = JSON.parse(res.text);
      return value && typeof value === 'object' ? (value as Json) : null;
    } catch {
      return null;
    }
  }

  /** A 4xx in the error shape, with the expected status and code when given. */
  function expectRefused(label: string, res: RawResponse, expected: { status?: number; code?: string } = {}): void {
    const body = bodyOf(res);
    const shaped =
      body !== null &&
      body.statusCode === res.status &&
      typeof body.code === 'string' &&
      /^[A-Z][A-Z0-9_]*$/.test(body.code) &&
      typeof body.message === 'string' &&
      String(res.headers['content-type']).startsWith('application/json');
    const fine =
      res.status >= 400 &&
      res.status < 500 &&
      shaped &&
      (expected.status === undefined || res.status === expected.status) &&
      (expected.code === undefined || body?.code === expected.code);
    if (!fine) problems.push(`${label} → ${res.status} ${res.text.slice(0, 160)}`);
  }

  async function totals(): Promise<Json> {
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM campaigns) AS campaigns, (SELECT count(*)::int FROM signatures) AS signatures,
              (SELECT count(*)::int FROM targets) AS targets, (SELECT count(*)::int FROM target_replies) AS replies,
              (SELECT count(*)::int FROM organisations) AS organisations, (SELECT count(*)::int FROM organisers) AS organisers,
              (SELECT count(*)::int FROM mail_outbox) AS outbox, (SELECT max(updated_at) FROM campaigns) AS changed`,
    );
    return rows[0] as Json;
  }

  beforeAll(async () => {
    port = await freePort();
    // METRICS_TOKEN: /metrics is a route here, so the attacks below reach it too.
    nida = spawnNida({ APP_ROLE: 'all', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SMTP_URL: await smtp.start(), METRICS_TOKEN: 'metrics-token-for-the-hostile-client-test' });
    await nida.waitFor('Nida ready (role all)');
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();

    const login = await json('POST', '/api/v1/auth/login', { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    admin = { authorization: `Bearer ${(bodyOf(login) as { accessToken: string }).accessToken}` };
    const created = async (method: string, path: string, body: Json) => {
      const res = await json(method, path, body, admin);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return bodyOf(res) as Json;
    };
    ids.organisationId = String((await created('POST', '/api/v1/organisations', { name: `Hostile ${Date.now()}` })).id);
    const campaign = await created('POST', '/api/v1/campaigns', {
      kind: 'petition',
      title: `Hostile clients ${Date.now()}`,
      summary: 'A campaign to aim at.',
      body: 'Text.',
      locale: 'en',
    });
    ids.campaignId = String(campaign.id);
    ids.slug = String(campaign.slug);
    await created('POST', `/api/v1/campaigns/${ids.campaignId}/publish`, {});
    ids.targetId = String(
      (await created('POST', `/api/v1/campaigns/${ids.campaignId}/targets`, { name: 'Official', email: 'official@example.org' })).id,
    );
    await created('POST', `/api/v1/campaigns/${ids.campaignId}/targets/${ids.targetId}/replies`, {
      receivedOn: '2025-01-02',
      summary: 'They answered.',
    });
  });

  afterAll(async () => {
    await db?.end();
    if (nida && nida.child.exitCode === null) {
      nida.child.kill('SIGTERM');
      await nida.exited;
    }
    await smtp.stop();
  });

  let before: Json;
  beforeEach(async () => {
    problems = [];
    before = await totals();
  });
  afterEach(async () => {
    expect(await totals()).toEqual(before);
  });

  // ── the routes ───────────────────────────────────────────────────────────────

  /** Routes that take a body, each with a valid body and whether it needs the admin's token. */
  const bodyRoutes = (): { method: string; path: string; body: Json; auth?: boolean; form?: boolean }[] => {
    const { slug, campaignId: c, targetId: tg, organisationId: o } = ids;
    const signer = { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ', city: 'Basra', comment: 'For the marshes' };
    return [
      { method: 'POST', path: '/api/v1/auth/login', body: { email: 'someone@example.org', password: 'a-password-1234' } },
      { method: 'POST', path: `/api/v1/campaigns/${slug}/signatures`, body: signer },
      { method: 'POST', path: '/api/v1/signatures/confirm', body: { token: 'a'.repeat(43) } },
      { method: 'POST', path: `/api/v1/campaigns/${slug}/resend-confirmation`, body: { email: 'layla@example.org' } },
      { method: 'POST', path: `/ar/c/${slug}/resend`, body: { email: 'layla@example.org', website: '', renderedAt: '1.AAAAAAAAAAAAAAAAAAAAAA' }, form: true },
      ...['/c', '/ar/c', '/en/c', '/ar/embed/c', '/en/embed/c'].map((prefix) => ({
        method: 'POST',
        path: `${prefix}/${slug}`,
        body: signer,
        form: true,
      })),
      { method: 'POST', path: `/confirm/${'a'.repeat(43)}`, body: { confirm: 'yes' }, form: true },
      { method: 'POST', path: `/ar/confirm/${'a'.repeat(43)}`, body: { confirm: 'yes' }, form: true },
      { method: 'POST', path: '/api/v1/privacy/erasure-requests', body: { email: 'layla@example.org', locale: 'ar' } },
      { method: 'POST', path: '/api/v1/privacy/access-requests', body: { email: 'layla@example.org' } },
      { method: 'POST', path: '/api/v1/privacy/erasures', body: { token: 'a'.repeat(43) } },
      { method: 'POST', path: '/api/v1/admin/erasures', auth: true, body: { email: 'nobody@example.org' } },
      { method: 'POST', path: '/ar/privacy/erase', body: { email: 'layla@example.org' }, form: true },
      { method: 'POST', path: '/en/privacy/my-data', body: { email: 'layla@example.org' }, form: true },
      { method: 'POST', path: `/privacy/erase/${'a'.repeat(43)}`, body: { erase: 'yes' }, form: true },
      // The console's campaign forms (signed out here: refused before any rule, the body parser first).
      {
        method: 'POST',
        path: '/en/console/campaigns/new',
        body: { csrf: 'x', locale: 'en', kind: 'petition', title_en: 'A title', summary_en: 'A summary', body_en: 'A body', title_ar: 'عنوان', goal: '10', endsAt: '2031-01-01T10:00', timeZone: 'Asia/Baghdad', slug: 'a-slug' },
        form: true,
      },
      { method: 'POST', path: `/ar/console/campaigns/${c}`, body: { csrf: 'x', locale: 'ar', title_ar: 'عنوان', summary_ar: 'ملخص', body_ar: 'نص' }, form: true },
      { method: 'POST', path: `/en/console/campaigns/${c}/status/win`, body: { csrf: 'x', outcome: 'released' }, form: true },
      { method: 'POST', path: '/ar/console/campaigns/preview-text', body: { csrf: 'x', text: 'A **text**' }, form: true },
      // The console's Supporters forms (refused before any session or CSRF check is made).
      { method: 'POST', path: `/en/console/campaigns/${c}/supporters/held`, body: { csrf: 'x', action: 'release', ids: '00000000-0000-4000-8000-000000000000' }, form: true },
      { method: 'POST', path: `/ar/console/campaigns/${c}/supporters/invalidate`, body: { csrf: 'x', step: 'count', domain: 'example.org', reason: 'r' }, form: true },
      // The console's Updates forms (console-updates.controller.ts).
      { method: 'POST', path: `/en/console/campaigns/${c}/updates`, body: { csrf: 'x', title_en: 'Salim is free', body_en: 'He was released.', title_ar: 'أُطلق سراح سالم', body_ar: 'خرج اليوم.', caseStatus: 'released', notify: 'on', intent: 'post' }, form: true },
      { method: 'POST', path: `/ar/console/campaigns/${c}/updates/preview`, body: { csrf: 'x', title_ar: 'أُطلق سراح سالم', body_ar: 'خرج اليوم.', notify: 'on' }, form: true },
      { method: 'POST', path: '/api/v1/admin/erasures', auth: true, body: { email: 'layla@example.org' } },
      { method: 'POST', path: `/api/v1/campaigns/${c}/comments/moderate`, auth: true, body: { action: 'hide', signatureIds: ['00000000-0000-4000-8000-000000000000'] } },
      { method: 'POST', path: `/api/v1/campaigns/${c}/review/reject`, auth: true, body: { note: 'Name the ministry.' } },
      { method: 'POST', path: `/en/console/campaigns/${c}/comments`, body: { csrf: 'x', action: 'hide', ids: '00000000-0000-4000-8000-000000000000' }, form: true },
      { method: 'POST', path: `/api/v1/organisations/${o}/invitations`, auth: true, body: { email: 'invitee@example.org', role: 'organiser', locale: 'ar' } },
      {
        method: 'POST',
        path: '/api/v1/campaigns',
        auth: true,
        body: {
          kind: 'petition',
          title: 'A title',
          summary: 'A summary',
          body: 'A body',
          locale: 'en',
          slug: 'a-slug',
          translations: { ar: { title: 'عنوان', summary: 'ملخص', body: 'نص' } },
          letter: { mode: 'per_signature', subject: 'Subject', body: 'Body' },
        },
      },
      { method: 'PATCH', path: `/api/v1/campaigns/${c}`, auth: true, body: { title: 'A title', summary: 'A summary', body: 'A body' } },
      {
        method: 'POST',
        path: `/api/v1/campaigns/${c}/targets`,
        auth: true,
        body: { name: 'A name', email: 'target@example.org', title: 'Minister', organisation: 'Ministry' },
      },
      { method: 'PATCH', path: `/api/v1/campaigns/${c}/targets/${tg}`, auth: true, body: { name: 'A name', title: 'Minister' } },
      {
        method: 'POST',
        path: `/api/v1/campaigns/${c}/targets/${tg}/replies`,
        auth: true,
        body: { receivedOn: '2025-01-03', summary: 'A summary', publicText: 'Public text' },
      },
      { method: 'PUT', path: `/api/v1/campaigns/${c}/letter/translations/ar`, auth: true, body: { subject: 'موضوع', body: 'نص' } },
      {
        method: 'POST',
        path: `/api/v1/campaigns/${c}/updates`,
        auth: true,
        body: { title: 'Salim is free', body: 'He was released.', notify: false, translations: { ar: { title: 'أُطلق سراح سالم', body: 'خرج اليوم.' } } },
      },
      { method: 'POST', path: `/ar/answer/${'a'.repeat(43)}`, body: { text: 'We received your letters.', name: 'Ali', position: 'Director' }, form: true },
      { method: 'POST', path: `/api/v1/campaigns/${c}/targets/${tg}/replies/00000000-0000-4000-8000-000000000000/approve`, auth: true, body: { public: true } },
      { method: 'PATCH', path: `/api/v1/campaigns/${c}/targets/${tg}/replies/00000000-0000-4000-8000-000000000000`, auth: true, body: { public: true } },
      // Partners (campaigns module): the lead invites, changes a role.
      { method: 'POST', path: `/api/v1/campaigns/${c}/partners`, auth: true, body: { organisationId: o, role: 'viewer' } },
      { method: 'PATCH', path: `/api/v1/campaigns/${c}/partners/${o}`, auth: true, body: { role: 'viewer' } },
      { method: 'POST', path: `/u/${'a'.repeat(43)}`, body: { 'List-Unsubscribe': 'One-Click' }, form: true },
      { method: 'POST', path: `/ar/u/${'a'.repeat(43)}`, body: { scope: 'organisation' }, form: true },
      { method: 'POST', path: '/api/v1/organisations', auth: true, body: { name: 'An organisation' } },
      {
        method: 'POST',
        path: `/api/v1/organisations/${o}/organisers`,
        auth: true,
        body: { email: 'new-organiser@example.org', password: 'a-long-password-1234', name: 'Noor' },
      },
    ];
  };

  /** Every route with a slug, token or id in its path, `{p}` standing for it. */
  const paramRoutes = (): { method: string; path: string; auth?: boolean }[] => [
    { method: 'GET', path: '/api/v1/campaigns/{p}' },
    { method: 'GET', path: '/api/v1/campaigns/{p}/count' },
    { method: 'POST', path: '/api/v1/campaigns/{p}/signatures' },
    ...['/c/{p}', '/ar/c/{p}', '/en/c/{p}', '/ar/embed/c/{p}', '/en/embed/c/{p}'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    { method: 'GET', path: '/ar/c/{p}/check-email' },
    { method: 'GET', path: '/en/embed/c/{p}/check-email' },
    { method: 'POST', path: '/api/v1/campaigns/{p}/resend-confirmation' },
    { method: 'GET', path: '/ar/c/{p}/resend' },
    { method: 'POST', path: '/en/c/{p}/resend' },
    { method: 'GET', path: '/en/c/{p}/resend/sent' },
    ...['/confirm/{p}', '/ar/confirm/{p}', '/en/confirm/{p}'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    ...['/privacy/erase/{p}', '/ar/privacy/erase/{p}'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    { method: 'GET', path: '/ar/console/campaigns/{p}/stats' },
    { method: 'GET', path: '/en/console/campaigns/{p}/stats' },
    ...['/u/{p}', '/ar/u/{p}'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    { method: 'GET', path: '/api/v1/campaigns/{p}/partners', auth: true },
    { method: 'POST', path: '/api/v1/campaigns/{p}/partners', auth: true },
    { method: 'PATCH', path: `/api/v1/campaigns/${ids.campaignId}/partners/{p}`, auth: true },
    { method: 'DELETE', path: `/api/v1/campaigns/${ids.campaignId}/partners/{p}`, auth: true },
    { method: 'POST', path: '/api/v1/partnerships/{p}/accept', auth: true },
    { method: 'POST', path: '/api/v1/partnerships/{p}/decline', auth: true },
    { method: 'GET', path: '/en/console/campaigns/{p}/partners' },
    { method: 'POST', path: '/ar/console/partnerships/{p}/accept' },
    { method: 'GET', path: '/api/v1/campaigns/{p}/updates', auth: true },
    { method: 'POST', path: '/api/v1/campaigns/{p}/updates', auth: true },
    { method: 'GET', path: `/api/v1/campaigns/${ids.campaignId}/updates/{p}`, auth: true },
    ...['pause', 'resume', 'cancel'].map((action) => ({ method: 'POST', path: `/api/v1/campaigns/${ids.campaignId}/updates/{p}/${action}`, auth: true })),
    { method: 'PATCH', path: '/api/v1/campaigns/{p}', auth: true },
    { method: 'PUT', path: '/api/v1/campaigns/{p}/image', auth: true },
    { method: 'DELETE', path: '/api/v1/campaigns/{p}/image', auth: true },
    { method: 'GET', path: '/api/v1/campaigns/{p}/stats', auth: true },
    { method: 'GET', path: '/api/v1/campaigns/{p}/targets', auth: true },
    { method: 'POST', path: `/api/v1/campaigns/${ids.campaignId}/targets/{p}/replies`, auth: true },
    // Officials' answers and dossiers.
    ...['/answer/{p}', '/ar/answer/{p}', '/en/answer/{p}'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    { method: 'GET', path: '/api/v1/campaigns/{p}/replies', auth: true },
    { method: 'GET', path: `/api/v1/campaigns/${ids.campaignId}/targets/{p}/dossier.pdf`, auth: true },
    ...['approve', 'reject'].map((action) => ({ method: 'POST', path: `/api/v1/campaigns/${ids.campaignId}/targets/${ids.targetId}/replies/{p}/${action}`, auth: true })),
    { method: 'PATCH', path: `/api/v1/campaigns/${ids.campaignId}/targets/${ids.targetId}/replies/{p}`, auth: true },
    ...['targets/{p}/dossier/send', `targets/${ids.targetId}/replies/{p}/decide`].map((page) => ({ method: 'POST', path: `/en/console/campaigns/${ids.campaignId}/${page}` })),
    { method: 'GET', path: '/api/v1/organisations/{p}/campaigns', auth: true },
    { method: 'POST', path: '/api/v1/organisations/{p}/organisers', auth: true },
    { method: 'GET', path: '/api/v1/campaigns/{p}/signatures', auth: true },
    // Comments and review (issue 14).
    { method: 'GET', path: '/api/v1/campaigns/{p}/comments', auth: true },
    { method: 'POST', path: '/api/v1/campaigns/{p}/comments/moderate', auth: true },
    ...['approve', 'hide'].map((action) => ({ method: 'POST', path: `/api/v1/campaigns/${ids.campaignId}/comments/{p}/${action}`, auth: true })),
    { method: 'POST', path: `/api/v1/campaigns/${ids.campaignId}/signatures/{p}/hide-name`, auth: true },
    { method: 'GET', path: '/api/v1/campaigns/{p}/public-comments' },
    ...['approve', 'reject'].map((action) => ({ method: 'POST', path: `/api/v1/campaigns/{p}/review/${action}`, auth: true })),
    { method: 'GET', path: '/en/console/campaigns/{p}/comments' },
    { method: 'POST', path: '/ar/console/campaigns/{p}/comments' },
    { method: 'POST', path: '/en/console/reviews/{p}' },
    { method: 'GET', path: '/api/v1/campaigns/{p}/signatures.csv', auth: true },
    ...['/ar/console/campaigns/{p}/supporters', '/en/console/campaigns/{p}/supporters.csv', '/en/console/campaigns/{p}/supporters/invalidate'].map((path) => ({ method: 'GET', path })),
    ...['/en/console/campaigns/{p}/supporters/held', '/ar/console/campaigns/{p}/supporters/invalidate'].map((path) => ({ method: 'POST', path })),
    { method: 'POST', path: '/api/v1/organisations/{p}/invitations', auth: true },
    { method: 'POST', path: `/api/v1/organisations/${ids.organisationId}/organisers/{p}/disable`, auth: true },
    ...['/ar/console/campaigns/{p}', '/en/console/campaigns/{p}/status/publish'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'POST', path },
    ]),
    { method: 'GET', path: '/en/console/campaigns/{p}/preview' },
    { method: 'GET', path: `/ar/console/campaigns/${ids.campaignId}/status/{p}` },
    // The console's officials, letter and letters pages (console-targets.controller.ts).
    ...['targets', 'letter', 'letters'].map((page) => ({ method: 'GET', path: `/en/console/campaigns/{p}/${page}` })),
    ...['targets', 'letter', 'letter/preview'].map((page) => ({ method: 'POST', path: `/ar/console/campaigns/{p}/${page}` })),
    ...['targets/{p}', 'targets/{p}/remove', 'letters/{p}'].map((page) => ({ method: 'GET', path: `/ar/console/campaigns/${ids.campaignId}/${page}` })),
    ...['targets/{p}', 'targets/{p}/replies', 'targets/{p}/remove'].map((page) => ({ method: 'POST', path: `/en/console/campaigns/${ids.campaignId}/${page}` })),
    // The console's Updates pages (console-updates.controller.ts).
    { method: 'GET', path: '/en/console/campaigns/{p}/updates' },
    ...['updates', 'updates/preview'].map((page) => ({ method: 'POST', path: `/ar/console/campaigns/{p}/${page}` })),
    ...['updates/{p}', 'updates/{p}/progress', 'updates/{p}/cancel'].map((page) => ({ method: 'GET', path: `/ar/console/campaigns/${ids.campaignId}/${page}` })),
    ...['updates/{p}/pause', 'updates/{p}/resume', 'updates/{p}/cancel'].map((page) => ({ method: 'POST', path: `/en/console/campaigns/${ids.campaignId}/${page}` })),
  ];

  /** Every public route, for the attacks that do not depend on the route (encodings, raw bytes). */
  const publicPaths = (): { method: string; path: string }[] => [
    { method: 'POST', path: '/api/v1/auth/login' },
    { method: 'GET', path: '/api/v1/campaigns' },
    { method: 'GET', path: `/api/v1/campaigns/${ids.slug}` },
    { method: 'GET', path: `/api/v1/campaigns/${ids.slug}/count` },
    { method: 'GET', path: `/api/v1/campaigns/${ids.slug}/public-comments` },
    { method: 'POST', path: `/api/v1/campaigns/${ids.slug}/signatures` },
    { method: 'POST', path: '/api/v1/signatures/confirm' },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/ar' },
    { method: 'GET', path: `/c/${ids.slug}` },
    { method: 'GET', path: `/ar/c/${ids.slug}` },
    { method: 'POST', path: `/ar/c/${ids.slug}` },
    { method: 'GET', path: `/en/c/${ids.slug}/check-email` },
    { method: 'POST', path: `/api/v1/campaigns/${ids.slug}/resend-confirmation` },
    { method: 'GET', path: `/ar/c/${ids.slug}/resend` },
    { method: 'POST', path: `/en/c/${ids.slug}/resend` },
    { method: 'GET', path: `/confirm/${'a'.repeat(43)}` },
    { method: 'POST', path: `/confirm/${'a'.repeat(43)}` },
    { method: 'GET', path: `/ar/embed/c/${ids.slug}` },
    { method: 'POST', path: `/ar/embed/c/${ids.slug}` },
    { method: 'GET', path: '/ar/privacy' },
    { method: 'POST', path: '/ar/privacy/erase' },
    { method: 'POST', path: '/api/v1/privacy/erasure-requests' },
    { method: 'POST', path: '/api/v1/privacy/erasures' },
    { method: 'GET', path: `/privacy/erase/${'a'.repeat(43)}` },
    { method: 'GET', path: `/u/${'a'.repeat(43)}` },
    { method: 'POST', path: `/u/${'a'.repeat(43)}` },
    { method: 'GET', path: `/en/answer/${'a'.repeat(43)}` },
    { method: 'POST', path: `/en/answer/${'a'.repeat(43)}` },
    { method: 'GET', path: '/static/nida.css' },
    { method: 'GET', path: '/metrics' },
  ];

  /** Every string in a body (nested ones too), each replaced in turn by one holding U+0000. */
  function withNulEach(body: Json, path: string[] = []): { field: string; body: Json }[] {
    const out: { field: string; body: Json }[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') out.push({ field: [...path, key].join('.'), body: { ...body, [key]: `${value}${NUL}x` } });
      else if (value && typeof value === 'object') {
        for (const inner of withNulEach(value as Json, [...path, key])) out.push({ field: inner.field, body: { ...body, [key]: inner.body } });
      }
    }
    return out;
  }

  const encodeForm = (body: Json) => new URLSearchParams(body as Record<string, string>).toString();

  // ── U+0000 ───────────────────────────────────────────────────────────────────

  it('refuses U+0000 in every string of every JSON body with 400 VALIDATION_FAILED naming the field', async () => {
    let sent = 0;
    for (const route of bodyRoutes()) {
      for (const { field, body } of withNulEach(route.body)) {
        const res = await json(route.method, route.path, body, route.auth ? admin : {});
        expectRefused(`${route.method} ${route.path} ${field}`, res, { status: 400, code: 'VALIDATION_FAILED' });
        const details = bodyOf(res)?.details as { field: string }[] | undefined;
        if (details?.[0]?.field !== field) problems.push(`${route.method} ${route.path} ${field}: details ${JSON.stringify(details)}`);
        sent++;
      }
      // …and in a key.
      const res = await json(route.method, route.path, { ...route.body, [`k${NUL}`]: 'v' }, route.auth ? admin : {});
      expectRefused(`${route.method} ${route.path} key`, res, { status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(sent).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('refuses U+0000 in every field of a form post with 400 VALIDATION_FAILED', async () => {
    for (const route of bodyRoutes().filter((r) => r.form)) {
      for (const { field, body } of withNulEach(route.body)) {
        const res = await send({
          method: route.method,
          path: route.path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encodeForm(body),
        });
        expectRefused(`form ${route.path} ${field}`, res, { status: 400, code: 'VALIDATION_FAILED' });
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses U+0000 (%00) in every path parameter and query with 400 PATH_MALFORMED', async () => {
    for (const route of paramRoutes()) {
      for (const value of ['%00', `${ids.slug}%00`, 'a%00b']) {
        const path = route.path.replace('{p}', value);
        const res = await json(route.method, path, {}, route.auth ? admin : {});
        expectRefused(`${route.method} ${path}`, res, { status: 400, code: 'PATH_MALFORMED' });
      }
    }
    for (const path of ['/api/v1/campaigns?kind=%00', '/api/v1/campaigns?page=1%00', '/?lang=%00', '/ar?x=%00', `/c/${ids.slug}?x=%00`]) {
      expectRefused(`GET ${path}`, await send({ method: 'GET', path }), { status: 400, code: 'PATH_MALFORMED' });
    }
    expect(problems).toEqual([]);
  });

  // ── nesting, encodings ───────────────────────────────────────────────────────

  it('refuses JSON nested 5,000 deep with 400 BODY_TOO_DEEP on every route that takes a body', async () => {
    for (const route of bodyRoutes()) {
      const res = await send({
        method: route.method,
        path: route.path,
        headers: { 'content-type': 'application/json', ...(route.auth ? admin : {}) },
        body: DEEP,
      });
      expectRefused(`${route.method} ${route.path}`, res, { status: 400, code: 'BODY_TOO_DEEP' });
      // A bare array, and depth hidden inside a valid field.
      const bare = await send({ method: route.method, path: route.path, headers: { 'content-type': 'application/json' }, body: '['.repeat(5000) });
      expectRefused(`${route.method} ${route.path} bare`, bare, { status: 400, code: 'BODY_TOO_DEEP' });
    }
    // Brackets inside strings are text, not depth.
    const ok = await json('POST', '/api/v1/auth/login', { email: 'someone@example.org', password: '['.repeat(200) });
    expect(ok.status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('refuses a body with a Content-Encoding (compressed or not, known or not) with 415 CONTENT_ENCODING_UNSUPPORTED', async () => {
    for (const route of [...bodyRoutes(), ...publicPaths().filter((p) => p.method === 'POST').map((p) => ({ ...p, body: {} as Json }))]) {
      for (const encoding of ['gzip', 'br', 'deflate', 'zstd', 'x-unknown', 'gzip, br']) {
        const res = await json(route.method, route.path, route.body, { 'content-encoding': encoding });
        expectRefused(`${route.method} ${route.path} ${encoding}`, res, { status: 415, code: 'CONTENT_ENCODING_UNSUPPORTED' });
      }
    }
    // Without a body, on any route, and in capitals: the header alone is refused.
    for (const { method, path } of publicPaths()) {
      for (const encoding of ['gzip', 'IDENTITY', 'zstd']) {
        const res = await send({ method, path, headers: { 'content-encoding': encoding, ...(method === 'POST' ? { 'content-length': '0' } : {}) } });
        expectRefused(`${method} ${path} ${encoding}, no body`, res, { status: 415, code: 'CONTENT_ENCODING_UNSUPPORTED' });
      }
    }
    // identity (exactly) is no encoding at all.
    const identity = await json('POST', '/api/v1/signatures/confirm', { token: 'x' }, { 'content-encoding': 'identity' });
    expect([identity.status, bodyOf(identity)?.code]).toEqual([404, 'TOKEN_INVALID']);
    // A body that really is gzip is refused all the same: no request body is ever decompressed.
    const { gzipSync } = await import('node:zlib');
    const gz = await send({
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ email: 'a@example.org', password: 'x' })),
    });
    expectRefused('real gzip', gz, { status: 415, code: 'CONTENT_ENCODING_UNSUPPORTED' });
    expect(problems).toEqual([]);
  });

  // ── static files ─────────────────────────────────────────────────────────────

  it('answers 404 ROUTE_NOT_FOUND for any /static/ path that is not a plain file name', async () => {
    const paths = [
      '/static/../package.json',
      '/static/../../package.json',
      '/static/%2e%2e/package.json',
      '/static/%2E%2E/%2e%2e/package.json',
      '/static/%2e%2e%2fpackage.json',
      '/static/..%2fpackage.json',
      '/static/..%5cpackage.json',
      '/static/..%5c..%5cpackage.json',
      '/static/..\\package.json',
      '/static/nida.css%00',
      '/static/nida.css%00.png',
      '/static/%00',
      '/static/',
      '/static/.hidden',
      '/static/nida.css/..',
      '/static//etc/passwd',
      // Stored photos and cards: a content-hashed file name, nothing else.
      '/media/../package.json',
      '/media/%2e%2e/package.json',
      '/media/..%2f..%2fpackage.json',
      '/media/',
      '/media/.hidden',
      '/media/photo.jpg',
      '/media/0123456789abcdef0123456789abcdef-480w.webp%00',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) {
        const res = await send({ method, path });
        if (method === 'HEAD') {
          if (res.status !== 404) problems.push(`HEAD ${path} → ${res.status}`);
        } else expectRefused(`GET ${path}`, res, { status: 404, code: 'ROUTE_NOT_FOUND' });
      }
    }
    // The real files are still there.
    expect((await send({ method: 'GET', path: '/static/nida.css' })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/static/embed.js?v=abc' })).status).toBe(200);
    expect(problems).toEqual([]);
  });

  // ── bytes that are not HTTP ──────────────────────────────────────────────────

  /** Writes raw bytes and checks the answer Node's parser made us give. */
  async function expectRawRefused(label: string, bytes: string, expected: { status: number; code: string }) {
    const raw = await sendRawBytes(port, bytes);
    const res = parseRawResponse(raw);
    expectRefused(label, res, expected);
  }

  it('answers malformed request lines, bad Content-Length and huge headers in the error shape on every route', async () => {
    for (const { method, path } of publicPaths()) {
      const route = `${method} ${path}`;
      await expectRawRefused(`${route}: unknown method`, `BR=EW ${path} HTTP/1.1\r\nHost: nida.test\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      await expectRawRefused(`${route}: bad version`, `${method} ${path} HTTP/7.3\r\nHost: nida.test\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      await expectRawRefused(`${route}: space in the target`, `${method} ${path} x HTTP/1.1\r\nHost: nida.test\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      await expectRawRefused(`${route}: raw NUL in the target`, `${method} ${path}${NUL} HTTP/1.1\r\nHost: nida.test\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      await expectRawRefused(`${route}: HTTP/1.1 without Host`, `${method} ${path} HTTP/1.1\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      await expectRawRefused(`${route}: header without a colon`, `${method} ${path} HTTP/1.1\r\nHost: nida.test\r\nbroken header\r\n\r\n`, {
        status: 400,
        code: 'REQUEST_MALFORMED',
      });
      for (const length of ['abc', '-1', '1e3', '0x10', '2, 3']) {
        await expectRawRefused(
          `${route}: Content-Length ${length}`,
          `${method} ${path} HTTP/1.1\r\nHost: nida.test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{}`,
          { status: 400, code: 'CONTENT_LENGTH_INVALID' },
        );
      }
      await expectRawRefused(
        `${route}: Content-Length with chunked`,
        `${method} ${path} HTTP/1.1\r\nHost: nida.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
        { status: 400, code: 'REQUEST_MALFORMED' },
      );
      await expectRawRefused(`${route}: 20 KB of headers`, `${method} ${path} HTTP/1.1\r\nHost: nida.test\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`, {
        status: 431,
        code: 'HEADERS_TOO_LARGE',
      });
    }
    expect(problems).toEqual([]);
    // The server still serves.
    expect((await send({ method: 'GET', path: `/api/v1/campaigns/${ids.slug}/count` })).status).toBe(200);
  });

  // ── the log ──────────────────────────────────────────────────────────────────

  it('logged no unhandled error and answered no request with a 5xx', async () => {
    // One more request, so the log is known to have caught up with everything before it.
    const marker = await send({ method: 'GET', path: '/api/v1/campaigns?marker=1', headers: { 'x-request-id': 'hostile-last' } });
    expect(marker.status).toBe(400);
    await nida.waitFor('hostile-last');
    const output = nida.output();
    expect(output).not.toMatch(/Unhandled/i);
    const lines = logLines(output);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.length).toBeGreaterThan(300);
    const serverErrors = lines.filter((l) => Number((l.res as { statusCode?: number } | undefined)?.statusCode) >= 500 || Number(l.level) >= 50);
    expect(serverErrors).toEqual([]);
  });
});
