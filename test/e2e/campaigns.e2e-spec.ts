import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { campaignInput, createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Json = Record<string, unknown>;
interface Detail {
  field: string;
  problems: string[];
}

const ORG_A = 'Marsh Defenders';
const ORG_B = 'River Watch';

describe('campaigns (e2e)', () => {
  let t: TestApp;
  let a: OrganiserLogin;
  let b: OrganiserLogin;
  let admin: string;

  // The background sweep runs once at boot and then hourly, so only the tests close campaigns here.
  beforeAll(async () => {
    // Counters are set with SQL and read back at once: no count cache here (tally.e2e-spec runs with it).
    t = await createTestApp({ CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600', COUNT_CACHE_MS: '0' });
    a = await createOrganiserWithOrganisation(t, ORG_A);
    b = await createOrganiserWithOrganisation(t, ORG_B);
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  // ── helpers ─────────────────────────────────────────────────────────────────

  const bearer = (token: string) => `Bearer ${token}`;

  const post = (path: string, token: string) => t.http().post(path).set('Authorization', bearer(token));
  const patch = (id: string, token: string) => t.http().patch(`/api/v1/campaigns/${id}`).set('Authorization', bearer(token));
  const action = (id: string, verb: 'publish' | 'close' | 'win', token: string) =>
    post(`/api/v1/campaigns/${id}/${verb}`, token);

  async function count(table = 'campaigns'): Promise<number> {
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
    return n as number;
  }

  async function row(id: string): Promise<Json> {
    const rows: Json[] = await t.db.query('SELECT * FROM campaigns WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  const fields = (res: Response) => ((res.body.details ?? []) as Detail[]).map((d) => d.field).sort();

  /** 400 VALIDATION_FAILED naming exactly these fields. */
  function expectValidation(res: Response, ...named: string[]) {
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
      details: expect.any(Array),
    });
    for (const d of res.body.details as Detail[]) {
      expect(d.problems.length).toBeGreaterThan(0);
      for (const p of d.problems) expect(typeof p).toBe('string');
    }
    expect(fields(res)).toEqual([...named].sort());
  }

  function expectError(res: Response, status: number, code: string) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.body.statusCode).toBe(status);
    expect(typeof res.body.message).toBe('string');
  }

  const create = (token: string, body: unknown) => post('/api/v1/campaigns', token).send(body as object);

  const publicGet = (slug: string) => t.http().get(`/api/v1/campaigns/${encodeURIComponent(slug)}`);

  async function expireNow(id: string) {
    await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [id]);
  }

  async function resetCampaigns() {
    await t.db.query('TRUNCATE targets, campaign_counters, campaigns RESTART IDENTITY CASCADE');
  }

  // ── 1. create ──────────────────────────────────────────────────────────────

  describe('create', () => {
    it('creates a draft with no signatures and a slug made from an English title', async () => {
      const before = await count();
      const res = await create(a.token, campaignInput({ title: 'Free the Marshes Now!', goal: 5000 }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        organisationId: a.organisationId,
        slug: 'free-the-marshes-now',
        kind: 'petition',
        status: 'draft',
        locale: 'en',
        title: 'Free the Marshes Now!',
        summary: 'Ask UNESCO to hold Iraq to its commitments on the Ahwar.',
        translations: {},
        goal: 5000,
        endsAt: null,
        timeZone: null,
        letter: { mode: 'none', subject: null, body: null },
        outcome: null,
        signatureCount: 0,
        publishedAt: null,
        closedAt: null,
        wonAt: null,
      });
      expect(res.body.id).toMatch(UUID);
      expect(res.body.createdAt).toMatch(ISO);
      expect(await count()).toBe(before + 1);
      const stored = await row(res.body.id);
      expect(stored).toMatchObject({ status: 'draft', slug: 'free-the-marshes-now', organisation_id: a.organisationId });
      const counters: Json[] = await t.db.query('SELECT verified FROM campaign_counters WHERE campaign_id = $1', [res.body.id]);
      expect(counters.map((c) => Number(c.verified))).toEqual([0]);
    });

    it('keeps Arabic letters, hamza and madda included, in a slug made from an Arabic title', async () => {
      const res = await create(a.token, campaignInput({ locale: 'ar', title: 'أنقذوا الأهوار الآن' }));
      expect(res.status).toBe(201);
      expect(res.body.title).toBe('أنقذوا الأهوار الآن');
      expect(res.body.slug).toBe('أنقذوا-الأهوار-الآن');
    });

    it('drops vowel marks and tatweel and turns Arabic-Indic digits into ASCII in a generated slug', async () => {
      const res = await create(a.token, campaignInput({ locale: 'ar', title: 'أَنْقِذوا دجـــلة ٢٠٢٥' }));
      expect(res.status).toBe(201);
      expect(res.body.slug).toBe('أنقذوا-دجلة-2025');
    });

    it('gives campaigns with the same title different slugs (-2, -3)', async () => {
      const first = await createCampaign(t, a.token, { title: 'Save the Tigris' });
      const second = await createCampaign(t, a.token, { title: 'Save the Tigris' });
      const third = await createCampaign(t, b.token, { title: 'Save  the Tigris!' });
      expect([first.slug, second.slug, third.slug]).toEqual(['save-the-tigris', 'save-the-tigris-2', 'save-the-tigris-3']);
    });

    it('gives distinct slugs to campaigns with the same title created at the same moment', async () => {
      const before = await count();
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => create(a.token, campaignInput({ title: 'Water for Basra' }))),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const slugs = results.map((r) => r.body.slug as string);
      expect(new Set(slugs).size).toBe(4);
      expect(slugs).toContain('water-for-basra');
      for (const slug of slugs) expect(slug).toMatch(/^water-for-basra(-[0-9a-f]+)?$/);
      expect(await count()).toBe(before + 4);
      expect(await count('campaign_counters')).toBe(await count());
    });

    it('keeps a slug from a long title within 80 characters, suffix included', async () => {
      const title = 'Protect the Mesopotamian marshes and the people who live from their water and reeds today';
      const first = await createCampaign(t, a.token, { title });
      expect(first.slug).toBe('protect-the-mesopotamian-marshes-and-the-people-who-live-from-their-water-and');
      const second = await createCampaign(t, a.token, { title });
      expect(second.slug).toBe('protect-the-mesopotamian-marshes-and-the-people-who-live-from-their-water-and-2');
      expect([...second.slug].length).toBeLessThanOrEqual(80);

      const oneWord = await createCampaign(t, a.token, { title: 'x'.repeat(120) });
      expect(oneWord.slug).toBe('x'.repeat(80));
      const again = await createCampaign(t, a.token, { title: 'x'.repeat(120) });
      expect(again.slug).toBe(`${'x'.repeat(78)}-2`);
    });

    it('falls back to "campaign" when the title has no letters or digits', async () => {
      const res = await create(a.token, campaignInput({ title: '★★★ !!!' }));
      expect(res.status).toBe(201);
      expect(res.body.slug).toBe('campaign');
    });

    it('keeps an explicit slug, and refuses one already used with 409 CAMPAIGN_SLUG_TAKEN, storing nothing', async () => {
      const kept = await create(a.token, campaignInput({ title: 'Anything at all', slug: 'marsh-appeal-2025' }));
      expect(kept.status).toBe(201);
      expect(kept.body.slug).toBe('marsh-appeal-2025');

      const before = await count();
      const countersBefore = await count('campaign_counters');
      const taken = await create(b.token, campaignInput({ title: 'Another one', slug: 'marsh-appeal-2025' }));
      expectError(taken, 409, 'CAMPAIGN_SLUG_TAKEN');
      expect(await count()).toBe(before);
      expect(await count('campaign_counters')).toBe(countersBefore);
    });

    it('accepts an explicit Arabic slug', async () => {
      const res = await create(a.token, campaignInput({ locale: 'ar', title: 'الأهوار', slug: 'أنقذوا-الأهوار' }));
      expect(res.status).toBe(201);
      expect(res.body.slug).toBe('أنقذوا-الأهوار');
    });

    it.each([['Has Caps'], ['double--hyphen'], ['-leading'], ['trailing-'], ['with space'], ['a'.repeat(81)], ['']])(
      'refuses the explicit slug %j with 400 naming slug',
      async (slug) => {
        const before = await count();
        const res = await create(a.token, campaignInput({ slug }));
        expectValidation(res, 'slug');
        expect(await count()).toBe(before);
      },
    );

    it('keeps translations together with the campaign', async () => {
      const en = { title: 'Save the marshes now', summary: 'The Ahwar are drying.', body: 'Ask UNESCO to act.' };
      const res = await create(
        a.token,
        campaignInput({
          locale: 'ar',
          title: 'أنقذوا الأهوار',
          summary: 'الأهوار تجف.',
          body: 'اطلبوا من اليونسكو التحرك.',
          translations: { en },
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ locale: 'ar', title: 'أنقذوا الأهوار', translations: { en } });
      expect(Object.keys(res.body.translations)).toEqual(['en']);
      expect((await row(res.body.id)).translations).toEqual({ en });
    });

    it("refuses translations repeating the campaign's own locale with 400 naming translations.ar", async () => {
      const before = await count();
      const res = await create(
        a.token,
        campaignInput({
          locale: 'ar',
          title: 'أنقذوا الأهوار',
          translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص', body: 'نص' } },
        }),
      );
      expectValidation(res, 'translations.ar');
      expect(await count()).toBe(before);
    });

    it('refuses a letter to send without subject and body (400 naming letter.subject and letter.body)', async () => {
      const before = await count();
      const res = await create(a.token, campaignInput({ letter: { mode: 'per_signature' } }));
      expectValidation(res, 'letter.body', 'letter.subject');
      expect(await count()).toBe(before);

      const digest = await create(a.token, campaignInput({ letter: { mode: 'digest', subject: 'Act now' } }));
      expectValidation(digest, 'letter.body');
      expect(await count()).toBe(before);
    });

    it('keeps a complete letter, and a letter in mode none needs nothing', async () => {
      const letter = { mode: 'per_signature', subject: 'Protect the Ahwar', body: 'Dear Director,\n\nPlease act.' };
      const res = await create(a.token, campaignInput({ letter }));
      expect(res.status).toBe(201);
      expect(res.body.letter).toEqual(letter);

      const none = await create(a.token, campaignInput({ letter: { mode: 'none' } }));
      expect(none.status).toBe(201);
      expect(none.body.letter).toEqual({ mode: 'none', subject: null, body: null });
    });

    it('refuses an endsAt in the past with 400 naming endsAt, and keeps one in the future', async () => {
      const before = await count();
      const past = await create(a.token, campaignInput({ endsAt: new Date(Date.now() - 60_000).toISOString() }));
      expectValidation(past, 'endsAt');
      expect(await count()).toBe(before);

      const future = new Date(Date.now() + 10 * DAY_MS).toISOString();
      const ok = await create(a.token, campaignInput({ endsAt: future }));
      expect(ok.status).toBe(201);
      expect(ok.body.endsAt).toBe(future);
    });

    it('keeps a time zone PostgreSQL knows, and refuses others with 400 naming timeZone, storing nothing', async () => {
      const ok = await create(a.token, campaignInput({ timeZone: 'Asia/Baghdad' }));
      expect(ok.status).toBe(201);
      expect(ok.body.timeZone).toBe('Asia/Baghdad');
      expect((await row(ok.body.id)).time_zone).toBe('Asia/Baghdad');

      const before = await count();
      // Node knows US/Pacific-New; PostgreSQL (newer tzdata) does not, and the zone is used in SQL.
      for (const timeZone of ['US/Pacific-New', 'Mars/Olympus_Mons', '+03:00']) {
        expectValidation(await create(a.token, campaignInput({ timeZone })), 'timeZone');
      }
      expect(await count()).toBe(before);

      // The same on PATCH: an unknown zone changes nothing, a known one is written, null clears it.
      expectValidation(await patch(ok.body.id, a.token).send({ timeZone: 'US/Pacific-New' }), 'timeZone');
      expect((await row(ok.body.id)).time_zone).toBe('Asia/Baghdad');
      expect((await patch(ok.body.id, a.token).send({ timeZone: 'Africa/Cairo' })).body.timeZone).toBe('Africa/Cairo');
      expect((await patch(ok.body.id, a.token).send({ timeZone: null })).body.timeZone).toBeNull();
    });

    it('accepts goal and endsAt as null (no goal, no deadline)', async () => {
      const res = await create(a.token, campaignInput({ goal: null, endsAt: null }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ goal: null, endsAt: null });
    });
  });

  // ── 2. mass assignment ─────────────────────────────────────────────────────

  describe('mass assignment', () => {
    const forbidden: [string, () => unknown][] = [
      ['status', () => 'live'],
      ['signatureCount', () => 1_000_000],
      ['organisationId', () => b.organisationId],
      ['id', () => randomUUID()],
      ['publishedAt', () => new Date().toISOString()],
      ['closedAt', () => new Date().toISOString()],
      ['wonAt', () => new Date().toISOString()],
      ['outcome', () => 'released'],
      ['createdAt', () => new Date().toISOString()],
      ['updatedAt', () => new Date().toISOString()],
    ];

    it.each(forbidden)('refuses %s on create with 400 naming it, storing nothing', async (property, value) => {
      const before = await count();
      const res = await create(a.token, campaignInput({ [property]: value() }));
      expectValidation(res, property);
      expect(res.body.details[0].problems).toEqual([`property ${property} should not exist`]);
      expect(await count()).toBe(before);
    });

    it.each(forbidden)('refuses %s on update with 400 naming it, changing nothing', async (property, value) => {
      const campaign = await createCampaign(t, a.token);
      const before = await row(campaign.id);
      const res = await patch(campaign.id, a.token).send({ title: 'A sneaky new title', [property]: value() });
      expectValidation(res, property);
      expect(await row(campaign.id)).toEqual(before);
    });
  });

  // ── 3. bad input ───────────────────────────────────────────────────────────

  describe('bad input', () => {
    let before: number;
    beforeEach(async () => {
      before = await count();
    });
    afterEach(async () => {
      expect(await count()).toBe(before);
    });

    it('answers malformed JSON with 400 BODY_MALFORMED', async () => {
      const res = await post('/api/v1/campaigns', a.token).set('Content-Type', 'application/json').send('{"kind":');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'BODY_MALFORMED', message: expect.any(String) });
    });

    it('answers a JSON body with __proto__ with 400 BODY_MALFORMED', async () => {
      const body = JSON.stringify(campaignInput()).replace(/^\{/, '{"__proto__":{"status":"live"},');
      const res = await post('/api/v1/campaigns', a.token).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BODY_MALFORMED');
    });

    it('answers an empty body sent as JSON with 400 BODY_MALFORMED', async () => {
      const res = await post('/api/v1/campaigns', a.token).set('Content-Type', 'application/json').send('');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BODY_MALFORMED');
    });

    it('answers a body over 100 kB with 413 BODY_TOO_LARGE', async () => {
      const res = await create(a.token, campaignInput({ body: 'x'.repeat(110 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, code: 'BODY_TOO_LARGE', message: expect.stringContaining(`${100 * 1024}`) });
    });

    it('answers a text/plain body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await post('/api/v1/campaigns', a.token)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(campaignInput()));
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
    });

    it('answers a form-encoded body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await post('/api/v1/campaigns', a.token)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('kind=petition&title=Hello+there');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it.each([
      ['goal', '100'],
      ['goal', 1.5],
      ['goal', 0],
      ['goal', -5],
      ['goal', 100_000_001],
      ['title', 123],
      ['title', 'ab'],
      ['title', '   '],
      ['title', 'x'.repeat(201)],
      ['summary', ''],
      ['body', ['a list']],
      ['kind', 'poll'],
      ['locale', 'fr'],
      ['endsAt', 'tomorrow'],
      ['endsAt', '2031-02-30T00:00:00Z'],
      ['endsAt', 1_900_000_000_000],
      ['translations', 'en'],
      ['letter', { mode: 'carrier_pigeon' }],
    ])('refuses %s = %j with 400 naming it', async (field, value) => {
      const res = await create(a.token, campaignInput({ [field]: value }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const named = fields(res);
      expect(named.length).toBeGreaterThan(0);
      for (const f of named) expect(f === field || f.startsWith(`${field}.`)).toBe(true);
    });

    it('answers a request without a body with 400 naming every required field', async () => {
      const res = await post('/api/v1/campaigns', a.token);
      expectValidation(res, 'body', 'kind', 'locale', 'summary', 'title');
    });

    it('answers an empty object with 400 naming every required field', async () => {
      const res = await create(a.token, {});
      expectValidation(res, 'body', 'kind', 'locale', 'summary', 'title');
    });

    it('answers a JSON array with 400 VALIDATION_FAILED', async () => {
      const res = await post('/api/v1/campaigns', a.token).set('Content-Type', 'application/json').send(JSON.stringify([campaignInput()]));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.length).toBeGreaterThan(0);
    });

    it('answers a JSON string, number or null with 400 VALIDATION_FAILED', async () => {
      for (const raw of ['"petition"', '42', 'null']) {
        const res = await post('/api/v1/campaigns', a.token).set('Content-Type', 'application/json').send(raw);
        expect({ raw, status: res.status, code: res.body.code }).toEqual({ raw, status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('refuses an unknown field nested in translations with 400 naming translations.en.extra', async () => {
      const res = await create(
        a.token,
        campaignInput({
          locale: 'ar',
          title: 'أنقذوا الأهوار',
          translations: { en: { title: 'Save them', summary: 'Drying.', body: 'Act.', extra: 'sneaky' } },
        }),
      );
      expectValidation(res, 'translations.en.extra');
    });

    it('refuses an unknown locale in translations and an incomplete translation, naming them', async () => {
      const unknown = await create(
        a.token,
        campaignInput({ translations: { fr: { title: 'Sauvez', summary: 'Vite.', body: 'Agissez.' } } }),
      );
      expectValidation(unknown, 'translations.fr');
      const incomplete = await create(
        a.token,
        campaignInput({ locale: 'ar', title: 'أنقذوا الأهوار', translations: { en: { summary: 'Drying.', body: 'Act.' } } }),
      );
      expectValidation(incomplete, 'translations.en.title');
    });

    it('refuses an unknown top-level field with 400 naming it', async () => {
      const res = await create(a.token, campaignInput({ colour: 'green' }));
      expectValidation(res, 'colour');
    });

    it.each([['not-a-uuid'], ['123'], ["1' OR '1'='1"]])(
      'answers a non-UUID id %j in the path with 404 CAMPAIGN_NOT_FOUND',
      async (id) => {
        const path = encodeURIComponent(id);
        const res = await t.http().patch(`/api/v1/campaigns/${path}`).set('Authorization', bearer(a.token)).send({ title: 'New title' });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ statusCode: 404, code: 'CAMPAIGN_NOT_FOUND', message: expect.any(String) });
        for (const verb of ['publish', 'close', 'win'] as const) {
          const r = await action(path, verb, a.token);
          expect({ verb, status: r.status, code: r.body.code }).toEqual({ verb, status: 404, code: 'CAMPAIGN_NOT_FOUND' });
        }
      },
    );

    it('answers an unknown UUID with 404 CAMPAIGN_NOT_FOUND', async () => {
      const id = randomUUID();
      expectError(await patch(id, a.token).send({ title: 'New title' }), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await action(id, 'publish', a.token), 404, 'CAMPAIGN_NOT_FOUND');
    });

    it('refuses an unknown query parameter on the public list with 400 naming it', async () => {
      const res = await t.http().get('/api/v1/campaigns?status=draft');
      expectValidation(res, 'status');
    });

    it.each([
      ['pageSize=500', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page=1.5', 'page'],
      ['kind=poll', 'kind'],
    ])('refuses the query %s on the public list with 400 naming %s', async (query, field) => {
      const res = await t.http().get(`/api/v1/campaigns?${query}`);
      expectValidation(res, field);
    });
  });

  // ── 4. update ──────────────────────────────────────────────────────────────

  describe('update', () => {
    it('changes title, summary and goal, trimming texts', async () => {
      const campaign = await createCampaign(t, a.token, { goal: 1000 });
      const res = await patch(campaign.id, a.token).send({ title: '  The marshes need you  ', summary: 'New summary.', goal: 2500 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: campaign.id,
        slug: campaign.slug,
        status: 'draft',
        title: 'The marshes need you',
        summary: 'New summary.',
        body: campaign.body,
        goal: 2500,
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(campaign.updatedAt as string).getTime());
      expect(await row(campaign.id)).toMatchObject({ title: 'The marshes need you', summary: 'New summary.', goal: 2500 });
    });

    it('leaves fields that are absent unchanged (empty patch)', async () => {
      const campaign = await createCampaign(t, a.token, { goal: 700 });
      const res = await patch(campaign.id, a.token).send({});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: campaign.title, summary: campaign.summary, goal: 700, slug: campaign.slug });
    });

    it('clears the goal with null', async () => {
      const campaign = await createCampaign(t, a.token, { goal: 1000 });
      const res = await patch(campaign.id, a.token).send({ goal: null });
      expect(res.status).toBe(200);
      expect(res.body.goal).toBeNull();
      expect((await row(campaign.id)).goal).toBeNull();
    });

    it('sets and clears endsAt, refusing one in the past', async () => {
      const campaign = await createCampaign(t, a.token);
      const future = new Date(Date.now() + 5 * DAY_MS).toISOString();
      expect((await patch(campaign.id, a.token).send({ endsAt: future })).body.endsAt).toBe(future);

      const past = await patch(campaign.id, a.token).send({ endsAt: new Date(Date.now() - DAY_MS).toISOString() });
      expectValidation(past, 'endsAt');
      expect((await row(campaign.id)).ends_at).toEqual(new Date(future));

      const cleared = await patch(campaign.id, a.token).send({ endsAt: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.endsAt).toBeNull();
    });

    it.each([['title'], ['summary'], ['body'], ['kind'], ['locale'], ['slug']])(
      'refuses %s null with 400 naming it, changing nothing',
      async (field) => {
        const campaign = await createCampaign(t, a.token);
        const before = await row(campaign.id);
        const res = await patch(campaign.id, a.token).send({ [field]: null });
        expectValidation(res, field);
        expect(await row(campaign.id)).toEqual(before);
      },
    );

    it('refuses wrong types in a patch with 400, changing nothing', async () => {
      const campaign = await createCampaign(t, a.token);
      const before = await row(campaign.id);
      expectValidation(await patch(campaign.id, a.token).send({ goal: '5' }), 'goal');
      expectValidation(await patch(campaign.id, a.token).send({ title: 42, kind: 'poll' }), 'kind', 'title');
      expect(await row(campaign.id)).toEqual(before);
    });

    it('changes slug and kind while the campaign is a draft', async () => {
      const campaign = await createCampaign(t, a.token, { kind: 'petition' });
      const res = await patch(campaign.id, a.token).send({ slug: 'draft-new-slug', kind: 'urgent_action' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ slug: 'draft-new-slug', kind: 'urgent_action', status: 'draft' });
      expect(await row(campaign.id)).toMatchObject({ slug: 'draft-new-slug', kind: 'urgent_action' });
    });

    it('refuses a slug another campaign has with 409 CAMPAIGN_SLUG_TAKEN', async () => {
      const other = await createCampaign(t, b.token);
      const campaign = await createCampaign(t, a.token);
      const before = await row(campaign.id);
      expectError(await patch(campaign.id, a.token).send({ slug: other.slug }), 409, 'CAMPAIGN_SLUG_TAKEN');
      expect(await row(campaign.id)).toEqual(before);
    });

    it('locks slug and kind once live (409 CAMPAIGN_FIELD_LOCKED) but not the texts', async () => {
      const live = await createLiveCampaign(t, a.token, { kind: 'petition' });
      const before = await row(live.id);

      const slug = await patch(live.id, a.token).send({ slug: 'a-new-slug-for-live' });
      expectError(slug, 409, 'CAMPAIGN_FIELD_LOCKED');
      expect(slug.body.details).toEqual({ field: 'slug' });

      const kind = await patch(live.id, a.token).send({ kind: 'urgent_action' });
      expectError(kind, 409, 'CAMPAIGN_FIELD_LOCKED');
      expect(kind.body.details).toEqual({ field: 'kind' });

      const both = await patch(live.id, a.token).send({ title: 'Changed with a lock', slug: 'another-slug' });
      expectError(both, 409, 'CAMPAIGN_FIELD_LOCKED');
      expect(await row(live.id)).toEqual(before);

      const same = await patch(live.id, a.token).send({ slug: live.slug, kind: 'petition', title: 'Still editable' });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ slug: live.slug, kind: 'petition', title: 'Still editable', status: 'live' });
    });

    it("refuses switching the locale to one the translations already hold (400 naming translations.<locale>)", async () => {
      const campaign = await createCampaign(t, a.token, {
        locale: 'en',
        translations: { ar: { title: 'أنقذوا الأهوار', summary: 'ملخص', body: 'نص' } },
      });
      const before = await row(campaign.id);
      expectValidation(await patch(campaign.id, a.token).send({ locale: 'ar' }), 'translations.ar');
      expect(await row(campaign.id)).toEqual(before);

      const res = await patch(campaign.id, a.token).send({
        locale: 'ar',
        title: 'أنقذوا الأهوار',
        translations: { en: { title: 'Save the marshes', summary: 'Drying.', body: 'Act.' } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ locale: 'ar', translations: { en: { title: 'Save the marshes' } } });
      expect(Object.keys(res.body.translations)).toEqual(['en']);
    });

    it('completes a letter from what is stored', async () => {
      const campaign = await createCampaign(t, a.token, { letter: { mode: 'digest', subject: 'S', body: 'B' } });
      const res = await patch(campaign.id, a.token).send({ letter: { mode: 'per_signature', subject: 'New subject' } });
      expect(res.status).toBe(200);
      expect(res.body.letter).toEqual({ mode: 'per_signature', subject: 'New subject', body: 'B' });

      const bare = await createCampaign(t, a.token);
      expectValidation(await patch(bare.id, a.token).send({ letter: { mode: 'digest' } }), 'letter.body', 'letter.subject');
    });
  });

  // ── 5. transitions ─────────────────────────────────────────────────────────

  describe('transitions', () => {
    it('publishes a draft: 200, live, with publishedAt', async () => {
      const campaign = await createCampaign(t, a.token);
      const start = Date.now();
      const res = await action(campaign.id, 'publish', a.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: campaign.id, status: 'live', closedAt: null, wonAt: null, endsAt: null, signatureCount: 0 });
      const publishedAt = new Date(res.body.publishedAt).getTime();
      expect(publishedAt).toBeGreaterThanOrEqual(start - 1000);
      expect(publishedAt).toBeLessThanOrEqual(Date.now() + 1000);
      expect(await row(campaign.id)).toMatchObject({ status: 'live', published_at: new Date(res.body.publishedAt) });
    });

    it('gives an urgent action published without endsAt a deadline URGENT_ACTION_DEFAULT_DAYS ahead', async () => {
      expect(t.env.URGENT_ACTION_DEFAULT_DAYS).toBe(30);
      const campaign = await createCampaign(t, a.token, { kind: 'urgent_action' });
      const start = Date.now();
      const res = await action(campaign.id, 'publish', a.token);
      const end = Date.now();
      expect(res.status).toBe(200);
      const endsAt = new Date(res.body.endsAt).getTime();
      expect(endsAt).toBeGreaterThanOrEqual(start + 30 * DAY_MS - 1000);
      expect(endsAt).toBeLessThanOrEqual(end + 30 * DAY_MS + 1000);
    });

    it('keeps the deadline an urgent action already has, and gives a petition none', async () => {
      const endsAt = new Date(Date.now() + 3 * DAY_MS).toISOString();
      const urgent = await createLiveCampaign(t, a.token, { kind: 'urgent_action', endsAt });
      expect(urgent.endsAt).toBe(endsAt);
      const petition = await createLiveCampaign(t, a.token, { kind: 'petition' });
      expect(petition.endsAt).toBeNull();
    });

    it('answers a second publish with 200 and the campaign unchanged', async () => {
      const campaign = await createCampaign(t, a.token, { kind: 'urgent_action' });
      const first = await action(campaign.id, 'publish', a.token);
      const stored = await row(campaign.id);
      const again = await action(campaign.id, 'publish', a.token);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await row(campaign.id)).toEqual(stored);
    });

    it('closes, then marks a victory with its outcome; won is final', async () => {
      const live = await createLiveCampaign(t, a.token, { kind: 'urgent_action' });
      const closed = await action(live.id, 'close', a.token);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', publishedAt: live.publishedAt, wonAt: null, outcome: null });
      expect(closed.body.closedAt).toMatch(ISO);

      const closedAgain = await action(live.id, 'close', a.token);
      expect(closedAgain.status).toBe(200);
      expect(closedAgain.body).toEqual(closed.body);

      const won = await action(live.id, 'win', a.token).send({ outcome: '  Released on 3 May  ' });
      expect(won.status).toBe(200);
      expect(won.body).toMatchObject({ status: 'won', outcome: 'Released on 3 May', closedAt: closed.body.closedAt });
      expect(won.body.wonAt).toMatch(ISO);
      expect(await row(live.id)).toMatchObject({ status: 'won', outcome: 'Released on 3 May' });

      const stored = await row(live.id);
      const publish = await action(live.id, 'publish', a.token);
      expectError(publish, 409, 'CAMPAIGN_INVALID_TRANSITION');
      expect(publish.body.details).toEqual({ from: 'won', to: 'live' });
      const close = await action(live.id, 'close', a.token);
      expectError(close, 409, 'CAMPAIGN_INVALID_TRANSITION');
      expect(close.body.details).toEqual({ from: 'won', to: 'closed' });
      expectError(await patch(live.id, a.token).send({ slug: 'won-and-renamed' }), 409, 'CAMPAIGN_FIELD_LOCKED');

      // Asking again for the status it has changes nothing (a retried request is safe).
      const wonAgain = await action(live.id, 'win', a.token).send({ outcome: 'Something else' });
      expect(wonAgain.status).toBe(200);
      expect(wonAgain.body).toEqual(won.body);
      expect(await row(live.id)).toEqual(stored);
    });

    it('refuses to publish a won campaign whose deadline has passed with 409 CAMPAIGN_INVALID_TRANSITION', async () => {
      const live = await createLiveCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      await action(live.id, 'win', a.token).send({ outcome: 'released' }).expect(200);
      await expireNow(live.id);
      const before = await row(live.id);
      const res = await action(live.id, 'publish', a.token);
      // A won campaign is final: moving its deadline would not help, so CAMPAIGN_DEADLINE_PASSED would mislead.
      expectError(res, 409, 'CAMPAIGN_INVALID_TRANSITION');
      expect(res.body.details).toEqual({ from: 'won', to: 'live' });
      expect(await row(live.id)).toEqual(before);
    });

    it('marks a live campaign won directly, closing it at the same moment', async () => {
      const live = await createLiveCampaign(t, a.token);
      const won = await action(live.id, 'win', a.token);
      expect(won.status).toBe(200);
      expect(won.body).toMatchObject({ status: 'won', outcome: null });
      expect(won.body.closedAt).toBe(won.body.wonAt);
    });

    it('refuses an outcome that is not a short text', async () => {
      const live = await createLiveCampaign(t, a.token);
      const before = await row(live.id);
      expectValidation(await action(live.id, 'win', a.token).send({ outcome: 'x'.repeat(201) }), 'outcome');
      expectValidation(await action(live.id, 'win', a.token).send({ outcome: '' }), 'outcome');
      expectValidation(await action(live.id, 'win', a.token).send({ outcome: 'ok', status: 'won' }), 'status');
      expect(await row(live.id)).toEqual(before);
    });

    it('refuses to close or win a draft with 409 CAMPAIGN_INVALID_TRANSITION', async () => {
      const draft = await createCampaign(t, a.token);
      const before = await row(draft.id);
      const close = await action(draft.id, 'close', a.token);
      expectError(close, 409, 'CAMPAIGN_INVALID_TRANSITION');
      expect(close.body.details).toEqual({ from: 'draft', to: 'closed' });
      const win = await action(draft.id, 'win', a.token).send({ outcome: 'released' });
      expectError(win, 409, 'CAMPAIGN_INVALID_TRANSITION');
      expect(win.body.details).toEqual({ from: 'draft', to: 'won' });
      expect(await row(draft.id)).toEqual(before);
    });

    it('publishes a closed campaign again when its endsAt is in the future', async () => {
      const endsAt = new Date(Date.now() + 7 * DAY_MS).toISOString();
      const live = await createLiveCampaign(t, a.token, { endsAt });
      const closed = await action(live.id, 'close', a.token);
      expect(closed.body.status).toBe('closed');
      const again = await action(live.id, 'publish', a.token);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'live', closedAt: null, endsAt, publishedAt: live.publishedAt });
      expect((await publicGet(live.slug)).body.status).toBe('live');
    });

    it('refuses to publish a closed campaign past its deadline (409 CAMPAIGN_DEADLINE_PASSED) until endsAt is moved', async () => {
      const live = await createLiveCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      await action(live.id, 'close', a.token).expect(200);
      await expireNow(live.id);
      const before = await row(live.id);
      expectError(await action(live.id, 'publish', a.token), 409, 'CAMPAIGN_DEADLINE_PASSED');
      expect(await row(live.id)).toEqual(before);

      const later = new Date(Date.now() + 2 * DAY_MS).toISOString();
      expect((await patch(live.id, a.token).send({ endsAt: later })).status).toBe(200);
      const res = await action(live.id, 'publish', a.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'live', endsAt: later, closedAt: null });
    });

    it('refuses to publish a draft whose deadline has passed', async () => {
      const draft = await createCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      await expireNow(draft.id);
      expectError(await action(draft.id, 'publish', a.token), 409, 'CAMPAIGN_DEADLINE_PASSED');
      expect((await row(draft.id)).status).toBe('draft');
    });
  });

  // ── 6. public list ─────────────────────────────────────────────────────────

  describe('public list', () => {
    const ids: Record<string, string> = {};
    const slugs: Record<string, string> = {};

    const setPublishedAt = (id: string, minutesAgo: number) =>
      t.db.query(`UPDATE campaigns SET published_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutesAgo]);

    beforeAll(async () => {
      await resetCampaigns();
      // Created in one order, published in another: the list follows publishedAt.
      const oldest = await createLiveCampaign(t, a.token, { title: 'Oldest live petition' });
      const newest = await createLiveCampaign(t, b.token, { title: 'Newest live urgent action', kind: 'urgent_action' });
      const middle = await createLiveCampaign(t, a.token, {
        title: 'Middle live petition',
        letter: { mode: 'per_signature', subject: 'Please act', body: 'Reply to organiser@marsh.example' },
      });
      await post(`/api/v1/campaigns/${middle.id}/targets`, a.token)
        .send({ name: 'Director', email: 'director@whc.example', locale: 'en', country: 'FR' })
        .expect(201);
      const draft = await createCampaign(t, a.token, { title: 'A draft' });
      const closed = await createLiveCampaign(t, a.token, { title: 'A closed one' });
      await action(closed.id, 'close', a.token).expect(200);
      const won = await createLiveCampaign(t, b.token, { title: 'A won one' });
      await action(won.id, 'win', b.token).send({ outcome: 'released' }).expect(200);

      await setPublishedAt(oldest.id, 30);
      await setPublishedAt(middle.id, 20);
      await setPublishedAt(newest.id, 10);
      // Were they listed, the closed and the won ones would come first.
      await setPublishedAt(closed.id, 1);
      await setPublishedAt(won.id, 2);
      await t.db.query('UPDATE campaign_counters SET verified = 42 WHERE campaign_id = $1', [middle.id]);

      Object.assign(ids, { oldest: oldest.id, middle: middle.id, newest: newest.id, draft: draft.id, closed: closed.id, won: won.id });
      Object.assign(slugs, { oldest: oldest.slug, middle: middle.slug, newest: newest.slug });
    });

    const itemIds = (res: Response) => (res.body.items as { id: string }[]).map((i) => i.id);

    it('lists only live campaigns, newest published first', async () => {
      const res = await t.http().get('/api/v1/campaigns').expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(itemIds(res)).toEqual([ids.newest, ids.middle, ids.oldest]);
      expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
      for (const item of res.body.items as Json[]) expect(item.status).toBe('live');
    });

    it('pages', async () => {
      const second = await t.http().get('/api/v1/campaigns?page=2&pageSize=1').expect(200);
      expect(itemIds(second)).toEqual([ids.middle]);
      expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });

      const third = await t.http().get('/api/v1/campaigns?page=3&pageSize=1').expect(200);
      expect(itemIds(third)).toEqual([ids.oldest]);

      const beyond = await t.http().get('/api/v1/campaigns?page=4&pageSize=1').expect(200);
      expect(beyond.body).toEqual({ items: [], total: 3, page: 4, pageSize: 1 });

      const two = await t.http().get('/api/v1/campaigns?pageSize=2').expect(200);
      expect(itemIds(two)).toEqual([ids.newest, ids.middle]);
      expect(two.body.total).toBe(3);
    });

    it('filters by kind', async () => {
      const urgent = await t.http().get('/api/v1/campaigns?kind=urgent_action').expect(200);
      expect(itemIds(urgent)).toEqual([ids.newest]);
      expect(urgent.body.total).toBe(1);
      const petitions = await t.http().get('/api/v1/campaigns?kind=petition').expect(200);
      expect(itemIds(petitions)).toEqual([ids.middle, ids.oldest]);
      expect(petitions.body.total).toBe(2);
    });

    it('shows each item with its count and organisation name, never an email, owner id or letter', async () => {
      const res = await t.http().get('/api/v1/campaigns').expect(200);
      const [newest, middle, oldest] = res.body.items as Json[];
      expect(Object.keys(middle).sort()).toEqual(
        [
          'availableLocales',
          'endsAt',
          'goal',
          'id',
          'kind',
          'locale',
          'organisation',
          'publishedAt',
          'signatureCount',
          'slug',
          'status',
          'summary',
          'title',
          'translations',
        ].sort(),
      );
      expect(middle).toMatchObject({ signatureCount: 42, organisation: { name: ORG_A }, title: 'Middle live petition', goal: 1000 });
      expect(newest).toMatchObject({ signatureCount: 0, organisation: { name: ORG_B }, kind: 'urgent_action' });
      expect(oldest).toMatchObject({ signatureCount: 0, organisation: { name: ORG_A } });
      expect(JSON.stringify(res.body)).not.toContain('@');
      // The organisation is named with its id (a sign form's per-organisation consent names it), never as an owner field.
      expect(middle.organisation).toEqual({ id: a.organisationId, name: ORG_A });
      expect(res.body.items.every((item: Record<string, unknown>) => !('organisationId' in item))).toBe(true);
      expect(JSON.stringify(res.body)).not.toContain('Please act');
    });

    it('drops a live campaign whose deadline has passed, and shows it closed by slug', async () => {
      await expireNow(ids.oldest);
      const res = await t.http().get('/api/v1/campaigns').expect(200);
      expect(itemIds(res)).toEqual([ids.newest, ids.middle]);
      expect(res.body.total).toBe(2);
      const petitions = await t.http().get('/api/v1/campaigns?kind=petition').expect(200);
      expect(itemIds(petitions)).toEqual([ids.middle]);
      const one = await publicGet(slugs.oldest).expect(200);
      expect(one.body.status).toBe('closed');
    });
  });

  // ── 7. public get by slug ──────────────────────────────────────────────────

  describe('public get by slug', () => {
    it('shows a live campaign with its count, without owner id, letter or emails', async () => {
      const en = { title: 'Save the marshes', summary: 'Drying.', body: 'Act now.' };
      const live = await createLiveCampaign(t, a.token, {
        locale: 'ar',
        title: 'أنقذوا الأهوار',
        summary: 'الأهوار تجف.',
        body: 'اطلبوا من اليونسكو التحرك.',
        translations: { en },
        goal: 300,
        letter: { mode: 'per_signature', subject: 'Secret subject', body: 'Write to me at noor@coalition.example' },
      });
      await t.db.query('UPDATE campaign_counters SET verified = 7 WHERE campaign_id = $1', [live.id]);
      const res = await publicGet(live.slug).expect(200);
      expect(res.body).toEqual({
        id: live.id,
        slug: live.slug,
        kind: 'petition',
        status: 'live',
        locale: 'ar',
        availableLocales: ['ar', 'en'],
        title: 'أنقذوا الأهوار',
        summary: 'الأهوار تجف.',
        body: 'اطلبوا من اليونسكو التحرك.',
        translations: { en },
        goal: 300,
        endsAt: null,
        timeZone: null,
        outcome: null,
        caseStatus: null,
        comments: 'moderated',
        signatureCount: 7,
        organisation: { id: a.organisationId, name: ORG_A },
        partners: [],
        targets: [],
        updates: [],
        publishedAt: live.publishedAt,
        closedAt: null,
        wonAt: null,
        image: null,
        shareCard: null,
      });
      expect(JSON.stringify(res.body)).not.toContain('@');
      expect(JSON.stringify(res.body)).not.toContain('Secret subject');
    });

    it('shows closed and won campaigns', async () => {
      const closed = await createLiveCampaign(t, a.token);
      const closedRes = await action(closed.id, 'close', a.token).expect(200);
      const won = await createLiveCampaign(t, b.token);
      await action(won.id, 'win', b.token).send({ outcome: 'Law withdrawn' }).expect(200);

      const c = await publicGet(closed.slug).expect(200);
      expect(c.body).toMatchObject({ id: closed.id, status: 'closed', signatureCount: 0, closedAt: closedRes.body.closedAt });
      const w = await publicGet(won.slug).expect(200);
      expect(w.body).toMatchObject({ id: won.id, status: 'won', outcome: 'Law withdrawn', signatureCount: 0, organisation: { name: ORG_B } });
    });

    it('hides a draft and an unknown slug with 404 CAMPAIGN_NOT_FOUND', async () => {
      const draft = await createCampaign(t, a.token);
      const res = await publicGet(draft.slug);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, code: 'CAMPAIGN_NOT_FOUND', message: expect.any(String) });
      expectError(await t.http().get(`/api/v1/campaigns/${draft.slug}/count`), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await publicGet('no-such-campaign-anywhere'), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await publicGet(draft.id), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await t.http().get('/api/v1/campaigns/no-such-campaign/count'), 404, 'CAMPAIGN_NOT_FOUND');
    });

    it('finds an Arabic slug through a percent-encoded URL', async () => {
      const generated = await createLiveCampaign(t, a.token, { locale: 'ar', title: 'أوقفوا تجفيف الأهوار' });
      expect(generated.slug).toBe('أوقفوا-تجفيف-الأهوار');
      const res = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(generated.slug)}`).expect(200);
      expect(res.body).toMatchObject({ id: generated.id, slug: 'أوقفوا-تجفيف-الأهوار' });

      const explicit = await createLiveCampaign(t, a.token, { locale: 'ar', title: 'دجلة', slug: 'أنقذوا-دجلة' });
      const byExplicit = await t.http().get(`/api/v1/campaigns/${encodeURIComponent('أنقذوا-دجلة')}`).expect(200);
      expect(byExplicit.body.id).toBe(explicit.id);
      const counted = await t.http().get(`/api/v1/campaigns/${encodeURIComponent('أنقذوا-دجلة')}/count`).expect(200);
      expect(counted.body).toMatchObject({ verified: 0, goal: 1000 });
    });

    it('gives the count alone: {verified, goal, updatedAt}', async () => {
      const live = await createLiveCampaign(t, a.token, { goal: 250 });
      const res = await t.http().get(`/api/v1/campaigns/${live.slug}/count`).expect(200);
      expect(res.body).toEqual({ verified: 0, goal: 250, updatedAt: expect.stringMatching(ISO) });

      await t.db.query(`UPDATE campaign_counters SET verified = 12, updated_at = '2030-01-01T00:00:00Z' WHERE campaign_id = $1`, [live.id]);
      const later = await t.http().get(`/api/v1/campaigns/${live.slug}/count`).expect(200);
      expect(later.body).toEqual({ verified: 12, goal: 250, updatedAt: '2030-01-01T00:00:00.000Z' });

      const noGoal = await createLiveCampaign(t, a.token, { goal: null });
      const r = await t.http().get(`/api/v1/campaigns/${noGoal.slug}/count`).expect(200);
      expect(r.body).toMatchObject({ verified: 0, goal: null });
    });
  });

  // ── 8. access ──────────────────────────────────────────────────────────────

  describe('access between organisations', () => {
    const jwtOptions = { issuer: 'nida', audience: 'nida-api', algorithm: 'HS256' as const };

    it.each([
      ['PATCH', (id: string) => patch(id, b.token).send({ title: 'Taken over by B' })],
      ['publish', (id: string) => action(id, 'publish', b.token)],
      ['close', (id: string) => action(id, 'close', b.token)],
      ['win', (id: string) => action(id, 'win', b.token).send({ outcome: 'stolen' })],
    ])("refuses organiser B's %s on A's campaign with 403 CAMPAIGN_FORBIDDEN, changing nothing", async (_name, request) => {
      const draft = await createCampaign(t, a.token);
      const live = await createLiveCampaign(t, a.token);
      for (const id of [draft.id, live.id]) {
        const before = await row(id);
        const res = await request(id);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ statusCode: 403, code: 'CAMPAIGN_FORBIDDEN', message: expect.any(String) });
        expect(await row(id)).toEqual(before);
      }
    });

    it('creates campaigns in the caller’s own organisation', async () => {
      const mine = await createCampaign(t, b.token);
      expect(mine.organisationId).toBe(b.organisationId);
    });

    it('answers no token with 401 AUTH_REQUIRED and WWW-Authenticate: Bearer', async () => {
      const campaign = await createCampaign(t, a.token);
      const before = await count();
      const stored = await row(campaign.id);
      const created = await t.http().post('/api/v1/campaigns').send(campaignInput());
      expect(created.status).toBe(401);
      expect(created.body).toEqual({ statusCode: 401, code: 'AUTH_REQUIRED', message: expect.any(String) });
      expect(created.headers['www-authenticate']).toBe('Bearer');
      expectError(await t.http().patch(`/api/v1/campaigns/${campaign.id}`).send({ title: 'No token' }), 401, 'AUTH_REQUIRED');
      expectError(await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`), 401, 'AUTH_REQUIRED');
      expectError(await t.http().get(`/api/v1/organisations/${a.organisationId}/campaigns`), 401, 'AUTH_REQUIRED');
      expect(await count()).toBe(before);
      expect(await row(campaign.id)).toEqual(stored);
    });

    it.each([
      ['a garbage token', 'Bearer this-is-not-a-token'],
      ['a token with a bad character', 'Bearer abc.def.ghi!jkl'],
      ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['an empty bearer', 'Bearer '],
    ])('answers %s with 401 AUTH_REQUIRED', async (_name, header) => {
      const before = await count();
      const res = await t.http().post('/api/v1/campaigns').set('Authorization', header).send(campaignInput());
      expectError(res, 401, 'AUTH_REQUIRED');
      expect(await count()).toBe(before);
    });

    it('accepts a token signed like the app signs, and refuses one signed with another secret, expired or for another audience', async () => {
      const secret = t.env.APP_SECRET as string;
      const good = await new JwtService({ secret }).signAsync({ sub: a.organiserId }, { ...jwtOptions, expiresIn: 60 });
      const control = await t.http().post('/api/v1/campaigns').set('Authorization', bearer(good)).send(campaignInput());
      expect(control.status).toBe(201);
      expect(control.body.organisationId).toBe(a.organisationId);

      const before = await count();
      const wrongSecret = await new JwtService({ secret: 'other-secret-other-secret-other-secret-0000' }).signAsync(
        { sub: a.organiserId },
        { ...jwtOptions, expiresIn: 60 },
      );
      const expired = await new JwtService({ secret }).signAsync(
        { sub: a.organiserId, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 },
        { issuer: 'nida', audience: 'nida-api', algorithm: 'HS256' },
      );
      const otherAudience = await new JwtService({ secret }).signAsync(
        { sub: a.organiserId },
        { ...jwtOptions, audience: 'someone-else', expiresIn: 60 },
      );
      const unknownOrganiser = await new JwtService({ secret }).signAsync({ sub: randomUUID() }, { ...jwtOptions, expiresIn: 60 });
      // Signed right, but under credentials the organiser no longer has (a password set since).
      const staleCredentials = await new JwtService({ secret }).signAsync({ sub: a.organiserId, ver: 7 }, { ...jwtOptions, expiresIn: 60 });
      const oddVersion = await new JwtService({ secret }).signAsync({ sub: a.organiserId, ver: '0' }, { ...jwtOptions, expiresIn: 60 });
      const [header, payload] = good.split('.');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: b.organiserId, iss: 'nida', aud: 'nida-api' })).toString('base64url')}.${good.split('.')[2]}`;

      for (const [name, token] of Object.entries({ wrongSecret, expired, otherAudience, unknownOrganiser, staleCredentials, oddVersion, unsigned, tampered })) {
        const res = await t.http().post('/api/v1/campaigns').set('Authorization', bearer(token)).send(campaignInput());
        expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 401, code: 'AUTH_REQUIRED' });
      }
      expect(await count()).toBe(before);
    });

    it("lets the admin act on any organisation's campaign", async () => {
      const campaign = await createCampaign(t, a.token);
      const edited = await patch(campaign.id, admin).send({ title: 'Edited by the admin' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ title: 'Edited by the admin', organisationId: a.organisationId });
      const published = await action(campaign.id, 'publish', admin);
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('live');
      const closed = await action(campaign.id, 'close', admin);
      expect(closed.body.status).toBe('closed');
      expect(await row(campaign.id)).toMatchObject({ status: 'closed', organisation_id: a.organisationId });
    });

    it("lists an organisation's campaigns, drafts included, to its own organisers and the admin only", async () => {
      const org = await createOrganiserWithOrganisation(t, 'Lonely Coalition');
      const draft = await createCampaign(t, org.token, { title: 'Lonely draft' });
      const live = await createLiveCampaign(t, org.token, { title: 'Lonely live' });
      await createCampaign(t, a.token, { title: 'Not theirs' });

      const own = await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).set('Authorization', bearer(org.token));
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
      const items = own.body.items as Json[];
      expect(items.map((i) => i.id)).toEqual([live.id, draft.id]);
      expect(items.map((i) => i.status)).toEqual(['live', 'draft']);
      expect(items[1]).toMatchObject({ organisationId: org.organisationId, letter: { mode: 'none' }, signatureCount: 0 });

      const paged = await t
        .http()
        .get(`/api/v1/organisations/${org.organisationId}/campaigns?page=2&pageSize=1`)
        .set('Authorization', bearer(org.token));
      expect((paged.body.items as Json[]).map((i) => i.id)).toEqual([draft.id]);
      expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });

      const other = await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).set('Authorization', bearer(b.token));
      expect(other.status).toBe(403);
      expect(other.body).toEqual({ statusCode: 403, code: 'AUTH_FORBIDDEN', message: expect.any(String) });

      const byAdmin = await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns`).set('Authorization', bearer(admin));
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.total).toBe(2);

      expectError(
        await t.http().get('/api/v1/organisations/not-a-uuid/campaigns').set('Authorization', bearer(org.token)),
        404,
        'ORGANISATION_NOT_FOUND',
      );
      expectValidation(
        await t.http().get(`/api/v1/organisations/${org.organisationId}/campaigns?pageSize=51`).set('Authorization', bearer(org.token)),
        'pageSize',
      );
    });
  });

  // ── 9. targets ─────────────────────────────────────────────────────────────

  describe('targets', () => {
    const target = {
      name: 'Lazare Eloundou Assomo',
      email: 'L.Assomo@UNESCO.example',
      title: 'Director',
      organisation: 'World Heritage Centre',
      locale: 'en',
      country: 'IQ',
    };
    const targetsPath = (id: string) => `/api/v1/campaigns/${id}/targets`;

    it('adds a target (201) and lists the targets of a campaign', async () => {
      const campaign = await createLiveCampaign(t, a.token, { locale: 'ar', title: 'أنقذوا الأهوار' });
      const res = await post(targetsPath(campaign.id), a.token).send(target);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        campaignId: campaign.id,
        name: 'Lazare Eloundou Assomo',
        title: 'Director',
        organisation: 'World Heritage Centre',
        email: 'l.assomo@unesco.example',
        locale: 'en',
        country: 'IQ',
        emailPublic: false,
        sendingWindow: null,
        suppressedAt: null,
        dispatchError: null,
        createdAt: expect.stringMatching(ISO),
      });
      const second = await post(targetsPath(campaign.id), a.token).send({ name: 'وزير الموارد المائية', email: 'minister@mowr.example' });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ locale: 'ar', country: null, title: null, organisation: null });

      const list = await t.http().get(targetsPath(campaign.id)).set('Authorization', bearer(a.token)).expect(200);
      expect(list.body).toEqual([res.body, second.body]);
    });

    it.each([
      ['country', { country: 'XX' }],
      ['country', { country: 'iq' }],
      ['country', { country: 'IRQ' }],
      ['email', { email: 'not-an-email' }],
      ['email', { email: 'someone@' }],
      ['name', { name: '' }],
      ['locale', { locale: 'fr' }],
      ['campaignId', { campaignId: randomUUID() }],
    ])('refuses a target with a bad %s (%j) with 400, storing nothing', async (field, override) => {
      const campaign = await createCampaign(t, a.token);
      const before = await count('targets');
      const res = await post(targetsPath(campaign.id), a.token).send({ ...target, ...override });
      expectValidation(res, field);
      expect(await count('targets')).toBe(before);
    });

    it("refuses organiser B on A's targets with 403 CAMPAIGN_FORBIDDEN", async () => {
      const campaign = await createCampaign(t, a.token);
      await post(targetsPath(campaign.id), a.token).send(target).expect(201);
      const before = await count('targets');
      expectError(await post(targetsPath(campaign.id), b.token).send(target), 403, 'CAMPAIGN_FORBIDDEN');
      expectError(await t.http().get(targetsPath(campaign.id)).set('Authorization', bearer(b.token)), 403, 'CAMPAIGN_FORBIDDEN');
      expectError(await t.http().get(targetsPath(campaign.id)), 401, 'AUTH_REQUIRED');
      expect(await count('targets')).toBe(before);
      const byAdmin = await t.http().get(targetsPath(campaign.id)).set('Authorization', bearer(admin)).expect(200);
      expect(byAdmin.body).toHaveLength(1);
    });

    it('answers an unknown or malformed campaign id with 404 CAMPAIGN_NOT_FOUND', async () => {
      expectError(await post(targetsPath(randomUUID()), a.token).send(target), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await post(targetsPath('nope'), a.token).send(target), 404, 'CAMPAIGN_NOT_FOUND');
    });

    it('never shows a target email in what the public sees', async () => {
      const campaign = await createLiveCampaign(t, a.token, { title: 'Targets stay private' });
      await post(targetsPath(campaign.id), a.token).send(target).expect(201);
      const one = await publicGet(campaign.slug).expect(200);
      expect(one.body.id).toBe(campaign.id);
      expect(JSON.stringify(one.body)).not.toContain('@');
      const list = await t.http().get('/api/v1/campaigns?pageSize=50').expect(200);
      expect((list.body.items as Json[]).map((i) => i.id)).toContain(campaign.id);
      expect(JSON.stringify(list.body)).not.toContain('@');
      const counted = await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`).expect(200);
      expect(JSON.stringify(counted.body)).not.toContain('@');
    });
  });

  // ── 10. the close sweep ────────────────────────────────────────────────────

  describe('close sweep', () => {
    it('closes live campaigns past their deadline, at their deadline, and nothing else', async () => {
      const sweeper = t.app.get(CampaignsService);
      await sweeper.closeExpired(); // what earlier tests left past their deadline

      const expiring = await createLiveCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      const running = await createLiveCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      const open = await createLiveCampaign(t, a.token);
      const draft = await createCampaign(t, a.token, { endsAt: new Date(Date.now() + DAY_MS).toISOString() });
      await expireNow(expiring.id);
      await expireNow(draft.id);
      expect((await row(expiring.id)).status).toBe('live');

      expect(await sweeper.closeExpired()).toBe(1);
      const closed = await row(expiring.id);
      expect(closed.status).toBe('closed');
      expect(closed.closed_at).toEqual(closed.ends_at);
      expect((await row(running.id)).status).toBe('live');
      expect((await row(open.id)).status).toBe('live');
      expect((await row(draft.id)).status).toBe('draft');

      const list = await t.http().get(`/api/v1/organisations/${a.organisationId}/campaigns?pageSize=50`).set('Authorization', bearer(a.token));
      const item = (list.body.items as Json[]).find((i) => i.id === expiring.id);
      expect(item).toMatchObject({ status: 'closed', closedAt: (closed.ends_at as Date).toISOString() });
      expect((await publicGet(expiring.slug).expect(200)).body.status).toBe('closed');

      // Running it again closes nothing more.
      expect(await sweeper.closeExpired()).toBe(0);
      expect((await row(running.id)).status).toBe('live');
    });
  });
});
