import { Client } from 'pg';
import { freePort, spawnNida, type NidaProcess } from '../support/processes';
import { logLines, sendHttp, type RawResponse } from '../support/raw-http';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { waitUntil } from '../support/wait';

/**
 * GET /api/v1/campaigns/:slug/count, the hottest public read, is a plain Fastify route
 * (src/modules/campaigns/campaign-count-http.ts). It must answer as the Nest route did, byte for
 * byte: the headers below, names in this order, were written down from the Nest route's answers
 * before the change. On the built app as its own process (`npm run build` first), so that its real
 * log is read and the headers arrive as a client sees them.
 */

const TOKEN = 'metrics-token-for-the-count-route-test-0123456789';

/** Helmet's headers and X-Request-Id, from app.factory's onRequest hook, on every answer. */
const SECURITY = [
  ['content-security-policy', "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'"],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'same-origin'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

/** The count route's own headers, on its 200s and its 404s alike: any site may read it, a proxy may keep it 2 s. */
const COUNT = [
  ['access-control-allow-origin', '*'],
  ['cache-control', 'public, max-age=2'],
  ['content-type', 'application/json; charset=utf-8'],
];

/** An answer's headers in order, less those that change from one request to the next (date) or name the connection. */
function headerList(res: RawResponse, requestId: string): string[][] {
  return Object.entries(res.headers)
    .filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name))
    .map(([name, value]) => [name, name === 'x-request-id' && value === requestId ? '<id>' : String(value)]);
}

const expectedHeaders = (contentLength: number, own = COUNT) => [...SECURITY, ['x-request-id', '<id>'], ...own, ['content-length', String(contentLength)]];

const NOT_FOUND = '{"statusCode":404,"code":"CAMPAIGN_NOT_FOUND","message":"No such campaign."}';
const ROUTE_NOT_FOUND = '{"statusCode":404,"code":"ROUTE_NOT_FOUND","message":"There is nothing at this address."}';

describe('the count route (e2e, built app)', () => {
  let nida: NidaProcess;
  let port: number;
  let db: Client;
  const smtp = new SmtpSink();
  let auth: Record<string, string>;
  let requestSeq = 0;
  const campaigns: Record<string, { id: string; slug: string }> = {};

  /** One request with an X-Request-Id of its own (echoed and logged). */
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const id = `count-test-${++requestSeq}`;
    return sendHttp(port, { method, path, headers: { 'x-request-id': id, ...headers } }).then((res) => ({ res, id }));
  };
  const countPath = (slug: string) => `/api/v1/campaigns/${encodeURIComponent(slug)}/count`;

  const json = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await sendHttp(port, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as Record<string, unknown>;
  };
  const liveCampaign = async (input: Record<string, unknown>) => {
    const created = await json('POST', '/api/v1/campaigns', { kind: 'petition', summary: 'A summary.', body: 'Text.', ...input });
    await json('POST', `/api/v1/campaigns/${String(created.id)}/publish`);
    return { id: String(created.id), slug: String(created.slug) };
  };

  beforeAll(async () => {
    port = await freePort();
    nida = spawnNida({ APP_ROLE: 'all', PORT: String(port), LOG_LEVEL: 'info', SMTP_URL: await smtp.start(), METRICS_TOKEN: TOKEN });
    await nida.waitFor('Nida ready (role all)', 60000);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    auth = {};
    const login = await json('POST', '/api/v1/auth/login', { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD });
    auth = { authorization: `Bearer ${String(login.accessToken)}` };
    campaigns.latin = await liveCampaign({ title: 'Count route', slug: 'count-route-campaign', locale: 'en', goal: 100 });
    campaigns.arabic = await liveCampaign({ title: 'دجلة', slug: 'أنقذوا-دجلة-للعد', locale: 'ar', goal: null });
    await db.query(`UPDATE campaign_counters SET verified = 12, updated_at = '2030-01-01T00:00:00Z' WHERE campaign_id = $1`, [campaigns.latin.id]);
  }, 90000);

  afterAll(async () => {
    await db?.end();
    if (nida && nida.child.exitCode === null) {
      nida.child.kill('SIGTERM');
      await nida.exited;
    }
    await smtp.stop();
  });

  it('answers a count with the Nest route\'s body and headers, whatever the client sends', async () => {
    const body = '{"verified":12,"goal":100,"updatedAt":"2030-01-01T00:00:00.000Z"}';
    const variants: Record<string, string>[] = [{}, { origin: 'https://partner.example' }, { 'accept-encoding': 'gzip, br' }, { 'if-none-match': '*' }];
    for (const headers of variants) {
      const { res, id } = await get(countPath(campaigns.latin.slug), headers);
      expect([res.status, res.text]).toEqual([200, body]);
      expect(headerList(res, id)).toEqual(expectedHeaders(65));
    }
    // A query is ignored, as it was.
    const { res: queried } = await get(`${countPath(campaigns.latin.slug)}?foo=bar`);
    expect([queried.status, queried.text]).toEqual([200, body]);
    // HEAD: the same headers, no body.
    const { res: head, id } = await get(countPath(campaigns.latin.slug), {}, 'HEAD');
    expect([head.status, head.text]).toEqual([200, '']);
    expect(headerList(head, id)).toEqual(expectedHeaders(65));
  });

  it('finds an Arabic slug through its percent-encoded address', async () => {
    const { res, id } = await get(countPath(campaigns.arabic.slug));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ verified: 0, goal: null, updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    expect(headerList(res, id)).toEqual(expectedHeaders(Buffer.byteLength(res.text)));
  });

  it('answers an unknown slug and a draft with the same 404 CAMPAIGN_NOT_FOUND, the count\'s headers included', async () => {
    const draft = await json('POST', '/api/v1/campaigns', { kind: 'petition', title: 'A draft', summary: 's', body: 'b', locale: 'en' });
    for (const slug of ['no-such-campaign', String(draft.slug), 'COUNT-ROUTE-CAMPAIGN', 'count route campaign', 'a/b', 'x'.repeat(900)]) {
      const { res, id } = await get(countPath(slug));
      expect([slug, res.status, res.text]).toEqual([slug, 404, NOT_FOUND]);
      expect(headerList(res, id)).toEqual(expectedHeaders(76));
    }
  });

  it('refuses hostile addresses with the 4xx they got before, never a 5xx', async () => {
    const cases: [string, string, number, string][] = [
      ['GET', `/api/v1/campaigns/${'a'.repeat(1001)}/count`, 414, 'PATH_TOO_LONG'],
      ['GET', `/api/v1/campaigns/${'%D8%A3'.repeat(2000)}/count`, 414, 'PATH_TOO_LONG'],
      ['GET', '/api/v1/campaigns/%E0%A4%A/count', 400, 'PATH_MALFORMED'],
      ['GET', '/api/v1/campaigns/%ZZ/count', 400, 'PATH_MALFORMED'],
      ['GET', '/api/v1/campaigns/%C0%80/count', 400, 'PATH_MALFORMED'],
      ['GET', '/api/v1/campaigns/a%00b/count', 400, 'PATH_MALFORMED'],
      ['GET', '/api/v1/campaigns//count', 404, 'ROUTE_NOT_FOUND'],
      ['GET', '/api/v1/campaigns/count-route-campaign/count/', 404, 'ROUTE_NOT_FOUND'],
      ['POST', '/api/v1/campaigns/count-route-campaign/count', 404, 'ROUTE_NOT_FOUND'],
      ['OPTIONS', '/api/v1/campaigns/count-route-campaign/count', 404, 'ROUTE_NOT_FOUND'],
    ];
    for (const [method, path, status, code] of cases) {
      const { res } = await get(path, method === 'OPTIONS' ? { origin: 'https://partner.example', 'access-control-request-method': 'GET' } : {}, method);
      expect([method, path.slice(0, 60), res.status, JSON.parse(res.text).code]).toEqual([method, path.slice(0, 60), status, code]);
    }
    // Unknown routes keep the 404 of unknown routes, without the count's headers.
    const { res, id } = await get('/api/v1/campaigns//count');
    expect(res.text).toBe(ROUTE_NOT_FOUND);
    expect(headerList(res, id)).toEqual(expectedHeaders(89, [COUNT[2]]));
  });

  it('shows a confirmation in the count within 2 seconds of its answer', async () => {
    const email = 'count-route-signer@example.org';
    const signed = await sendHttp(port, {
      method: 'POST',
      path: `/api/v1/campaigns/${encodeURIComponent(campaigns.arabic.slug)}/signatures`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Layla Hassan', email, country: 'IQ' }),
    });
    expect(signed.status).toBe(202);
    expect(JSON.parse((await get(countPath(campaigns.arabic.slug))).res.text).verified).toBe(0);
    const [mail] = await smtp.waitFor(email);
    const token = new URL(confirmLink(mail)).pathname.split('/').pop();
    const confirmed = await sendHttp(port, {
      method: 'POST',
      path: '/api/v1/signatures/confirm',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(confirmed.status).toBe(200);
    const at = Date.now();
    await waitUntil(async () => JSON.parse((await get(countPath(campaigns.arabic.slug))).res.text).verified === 1, 5000, 25);
    expect(Date.now() - at).toBeLessThan(2000);
  });

  it('is counted in the metrics by its route pattern', async () => {
    const scrape = async () => (await sendHttp(port, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).text;
    const sample = (text: string, labels: string) =>
      Number(text.split('\n').find((l) => l.startsWith(`nida_http_requests_total{${labels}} `))?.split(' ').pop() ?? 0);
    const ok = 'method="GET",route="/api/v1/campaigns/:slug/count",status="200"';
    const missing = 'method="GET",route="/api/v1/campaigns/:slug/count",status="404"';
    const before = await scrape();
    await get(countPath(campaigns.latin.slug));
    await get(countPath(campaigns.latin.slug));
    await get(countPath('no-such-campaign'));
    const after = await scrape();
    expect(sample(after, ok) - sample(before, ok)).toBe(2);
    expect(sample(after, missing) - sample(before, missing)).toBe(1);
  });

  it('is still in the OpenAPI document, as Nest described it', async () => {
    const doc = JSON.parse((await sendHttp(port, { method: 'GET', path: '/docs/openapi.json' })).text);
    expect(doc.paths['/api/v1/campaigns/{slug}/count'].get).toMatchObject({
      parameters: [{ name: 'slug', required: true, in: 'path', schema: { type: 'string' } }],
      responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CampaignCountResponseDto' } } } } },
      tags: ['campaigns'],
    });
    expect(doc.components.schemas.CampaignCountResponseDto).toEqual({
      type: 'object',
      properties: { verified: { type: 'number' }, goal: { type: 'number', nullable: true }, updatedAt: { type: 'string' } },
      required: ['verified', 'goal', 'updatedAt'],
    });
  });

  it('writes the request log line of every route for each count read', async () => {
    const { id } = await get(countPath(campaigns.arabic.slug));
    const { id: missing } = await get(countPath('no-such-campaign'));
    await nida.waitFor(missing);
    const line = (reqId: string) => logLines(nida.output()).find((l) => l.reqId === reqId && l.msg === 'request completed');
    expect(line(id)).toEqual({
      level: 30,
      time: expect.any(Number),
      role: 'all',
      reqId: id,
      req: { id, method: 'GET', url: countPath(campaigns.arabic.slug) },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(line(missing)).toMatchObject({ req: { id: missing, method: 'GET', url: countPath('no-such-campaign') }, res: { statusCode: 404 } });
  });
});
