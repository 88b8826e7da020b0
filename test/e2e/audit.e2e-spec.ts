import { addressHash } from '../../src/common/keyed-hash';
import { appSecret } from '../../src/config/environment';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { signAndConfirm } from '../support/signing';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_kind: string;
  organisation_id: string | null;
  action: string;
  campaign_id: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  ip_hash: string | null;
}

interface AuditItem {
  id: string;
  at: string;
  actorId: string | null;
  actorKind: string;
  organisationId: string | null;
  action: string;
  campaignId: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  ipHash: string | null;
}

/**
 * The audit log against the real app: each wired action done through the API (behind TRUST_PROXY,
 * so each comes from an address of its own) leaves one row saying who, what, which campaign and
 * the address's keyed hash; organisers read their organisation's rows, admins all, newest first,
 * a page at a time; and no row holds a supporter's email or name, or an address.
 */
describe('audit log (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let admin: string;
  let adminId: string;
  const smtp = new SmtpSink();
  const PASSWORD = 'a-long-enough-password';
  const SUPPORTERS = { name: 'Layla Hassan', email: 'layla.hassan@example.org', heldName: 'Omar Khalil', heldEmail: 'omar.khalil@example.net' };

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), TRUST_PROXY: '127.0.0.1,::1', MAIL_RELAY_INTERVAL_MS: '100', CAMPAIGN_CLOSE_SWEEP_SECONDS: '3600' });
    org = await createOrganiserWithOrganisation(t);
    other = await createOrganiserWithOrganisation(t);
    admin = await t.adminToken();
    adminId = (await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${admin}`)).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  let n = 0;
  /** An address of its own for each action: its hash tells the rows apart. */
  const nextAddress = () => `203.0.113.${++n}`;
  const hashOf = (ip: string) => addressHash(appSecret(t.env), ip);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** The rows written from this address (each test's action has its own). */
  async function rowsFrom(ip: string): Promise<AuditRow[]> {
    return t.db.query(`SELECT * FROM audit_events WHERE ip_hash = $1 ORDER BY at, id`, [hashOf(ip)]);
  }

  async function heldSignature(campaignId: string, email: string, name: string): Promise<string> {
    const [{ id }] = await t.db.query(
      `INSERT INTO signatures (campaign_id, email, email_hash, email_domain, name, country, city, locale, status, held_reason)
       VALUES ($1, 'plain:' || $2, lower($2), lower(split_part($2, '@', 2)), 'plain:' || $3, 'IQ', 'plain:Basra', 'en', 'held', 'ip_burst') RETURNING id`,
      [campaignId, email, name],
    );
    return id as string;
  }

  const audit = (token: string, query: Record<string, string | number> = {}) => t.http().get('/api/v1/audit').query(query).set(bearer(token));

  describe('each action leaves one row', () => {
    it('a login: the organiser, their organisation, the address hash', async () => {
      const ip = nextAddress();
      const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: org.email, password: PASSWORD });
      expect(res.status).toBe(200);
      const rows = await rowsFrom(ip);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_id: org.organiserId,
        actor_kind: 'organiser',
        organisation_id: org.organisationId,
        action: 'auth.login',
        campaign_id: null,
        ip_hash: hashOf(ip),
      });
      expect(rows[0].ip_hash).not.toContain(ip);
    });

    it('a failed login: by the system, naming the account when it exists, never the email', async () => {
      const ip = nextAddress();
      expect((await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: org.email, password: 'not-the-password' })).status).toBe(401);
      expect((await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody-here@example.org', password: PASSWORD })).status).toBe(401);
      const rows = await rowsFrom(ip);
      expect(rows.map((r) => [r.action, r.actor_kind, r.actor_id, r.subject_id, r.organisation_id])).toEqual([
        ['auth.login_failed', 'system', null, org.organiserId, org.organisationId],
        ['auth.login_failed', 'system', null, null, null],
      ]);
      expect(JSON.stringify(rows)).not.toContain('nobody-here');
    });

    it('publish, close, reopen and win: one row each, with the campaign and the move', async () => {
      const campaign = await createCampaign(t, org.token);
      const ip = nextAddress();
      const move = (verb: string, body: Record<string, unknown> = {}) =>
        t.http().post(`/api/v1/campaigns/${campaign.id}/${verb}`).set(bearer(org.token)).set('X-Forwarded-For', ip).send(body);
      expect((await move('publish')).status).toBe(200);
      expect((await move('publish')).status).toBe(200); // a repeat changes nothing, records nothing
      expect((await move('close')).status).toBe(200);
      expect((await move('publish')).status).toBe(200);
      expect((await move('win', { outcome: 'The marshes are protected' })).status).toBe(200);
      expect((await move('close')).status).toBe(409); // refused: nothing recorded
      const rows = await rowsFrom(ip);
      expect(rows.map((r) => [r.action, r.details.from, r.details.to])).toEqual([
        ['campaign.publish', 'draft', 'live'],
        ['campaign.close', 'live', 'closed'],
        ['campaign.reopen', 'closed', 'live'],
        ['campaign.win', 'live', 'won'],
      ]);
      for (const r of rows) {
        expect(r).toMatchObject({ actor_id: org.organiserId, actor_kind: 'organiser', organisation_id: org.organisationId, campaign_id: campaign.id });
      }
    });

    it('an admin acting on an organisation’s campaign is recorded for that organisation', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const ip = nextAddress();
      expect((await t.http().post(`/api/v1/campaigns/${campaign.id}/close`).set(bearer(admin)).set('X-Forwarded-For', ip)).status).toBe(200);
      expect(await rowsFrom(ip)).toEqual([
        expect.objectContaining({ actor_id: adminId, actor_kind: 'admin', organisation_id: org.organisationId, action: 'campaign.close', campaign_id: campaign.id }),
      ]);
    });

    it('the deadline sweep closing a campaign: by the system, for the campaign’s organisation (resolved in the INSERT)', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [campaign.id]);
      expect(await t.app.get(CampaignsService).closeExpired()).toBeGreaterThanOrEqual(1);
      const rows: AuditRow[] = await t.db.query(`SELECT * FROM audit_events WHERE campaign_id = $1 AND action = 'campaign.close'`, [campaign.id]);
      expect(rows).toEqual([
        expect.objectContaining({ actor_id: null, actor_kind: 'system', organisation_id: org.organisationId, ip_hash: null, details: { from: 'live', to: 'closed', reason: 'deadline' } }),
      ]);
    });

    it('releasing and discarding held signatures: how many, never whose', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      const kept = await heldSignature(campaign.id, SUPPORTERS.heldEmail, SUPPORTERS.heldName);
      await heldSignature(campaign.id, 'second.held@example.net', 'Sara Jabbar');
      await heldSignature(campaign.id, 'third.held@example.net', 'Ali Mahdi');
      const ip = nextAddress();
      const release = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/release`).set(bearer(org.token)).set('X-Forwarded-For', ip).send({ ids: [kept] });
      expect(release.body).toEqual({ released: 1 });
      const discard = await t.http().post(`/api/v1/campaigns/${campaign.id}/signatures/held/discard`).set(bearer(org.token)).set('X-Forwarded-For', ip).send({ all: true });
      expect(discard.body).toEqual({ discarded: 2 });
      const rows = await rowsFrom(ip);
      expect(rows.map((r) => [r.action, r.campaign_id, r.actor_id, r.details])).toEqual([
        ['signatures.release', campaign.id, org.organiserId, { selection: 'ids', ids: 1, heldReason: null, released: 1, mailed: 1 }],
        ['signatures.discard', campaign.id, org.organiserId, { selection: 'all', ids: null, heldReason: null, discarded: 2 }],
      ]);
    });

    it('an invalidation: the record it made, its counts, and its criteria by name only', async () => {
      const campaign = await createLiveCampaign(t, org.token);
      await signAndConfirm(t, smtp, campaign.slug, { name: SUPPORTERS.name, email: SUPPORTERS.email, country: 'IQ' });
      const ip = nextAddress();
      const res = await t.http()
        .post(`/api/v1/campaigns/${campaign.id}/invalidations`)
        .set(bearer(org.token))
        .set('X-Forwarded-For', ip)
        .send({ emailPattern: SUPPORTERS.email, reason: `asked by ${SUPPORTERS.name}` });
      expect(res.status).toBe(200);
      expect(res.body.matched).toBe(1);
      expect(await rowsFrom(ip)).toEqual([
        expect.objectContaining({
          actor_id: org.organiserId,
          action: 'signatures.invalidate',
          campaign_id: campaign.id,
          organisation_id: org.organisationId,
          subject_id: res.body.invalidation.id,
          details: { criteria: 'emailPattern', matched: 1, counted: 1, unconfirmed: 0 },
        }),
      ]);
      // A dry run changes nothing and is not an invalidation.
      const dry = nextAddress();
      await t.http().post(`/api/v1/campaigns/${campaign.id}/invalidations`).set(bearer(org.token)).set('X-Forwarded-For', dry).send({ domain: 'example.org', dryRun: true });
      expect(await rowsFrom(dry)).toEqual([]);
    });

    it('adding and removing a block: its type and action, never its value', async () => {
      const ip = nextAddress();
      const added = await t.http().post('/api/v1/admin/blocks').set(bearer(admin)).set('X-Forwarded-For', ip).send({ type: 'email', value: SUPPORTERS.email, note: SUPPORTERS.name });
      expect(added.status).toBe(201);
      expect((await t.http().delete(`/api/v1/admin/blocks/${added.body.id}`).set(bearer(admin)).set('X-Forwarded-For', ip)).status).toBe(204);
      // A block that is not there: 404, nothing recorded.
      expect((await t.http().delete(`/api/v1/admin/blocks/${added.body.id}`).set(bearer(admin)).set('X-Forwarded-For', ip)).status).toBe(404);
      const rows = await rowsFrom(ip);
      expect(rows.map((r) => [r.action, r.actor_id, r.actor_kind, r.subject_id, r.details])).toEqual([
        ['blocks.add', adminId, 'admin', added.body.id, { type: 'email', action: 'block' }],
        ['blocks.remove', adminId, 'admin', added.body.id, { type: 'email', action: 'block' }],
      ]);
    });
  });

  describe('GET /api/v1/audit', () => {
    /** Every page, following nextCursor. */
    async function allPages(token: string, query: Record<string, string | number>): Promise<{ items: AuditItem[]; pages: number }> {
      const items: AuditItem[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await audit(token, { ...query, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        items.push(...(res.body.items as AuditItem[]));
        cursor = res.body.nextCursor as string | null;
        pages++;
      } while (cursor && pages < 100);
      return { items, pages };
    }

    it('shows an organiser their organisation’s events, newest first, a page at a time, the same rows as the table', async () => {
      const { items, pages } = await allPages(org.token, { limit: 3 });
      const rows: AuditRow[] = await t.db.query(`SELECT * FROM audit_events WHERE organisation_id = $1 ORDER BY at DESC, id DESC`, [org.organisationId]);
      expect(rows.length).toBeGreaterThan(10);
      expect(pages).toBe(Math.ceil(rows.length / 3));
      expect(items.map((i) => i.id)).toEqual(rows.map((r) => r.id));
      const times = items.map((i) => Date.parse(i.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const login = items.find((i) => i.action === 'auth.login' && i.ipHash === hashOf('203.0.113.1'));
      expect(login).toEqual({
        id: expect.any(String),
        at: expect.any(String),
        actorId: org.organiserId,
        actorKind: 'organiser',
        organisationId: org.organisationId,
        action: 'auth.login',
        campaignId: null,
        subjectId: null,
        details: {},
        ipHash: hashOf('203.0.113.1'),
      });
    });

    it('filters by campaign and by action', async () => {
      const [moved] = await t.db.query(`SELECT campaign_id FROM audit_events WHERE action = 'campaign.reopen' AND organisation_id = $1`, [org.organisationId]);
      const byCampaign = await audit(org.token, { campaignId: moved.campaign_id, limit: 50 });
      expect(byCampaign.body.items.map((i: AuditItem) => i.action)).toEqual(['campaign.win', 'campaign.reopen', 'campaign.close', 'campaign.publish']);
      const byAction = await audit(org.token, { action: 'campaign.reopen' });
      expect(byAction.body.items.map((i: AuditItem) => i.campaignId)).toEqual([moved.campaign_id]);
    });

    it('shows an organiser of another organisation none of them, even asked by campaign', async () => {
      const { items } = await allPages(other.token, { limit: 50 });
      expect(items.length).toBeGreaterThan(0); // their own login
      expect(items.every((i) => i.organisationId === other.organisationId)).toBe(true);
      const [campaign] = await t.db.query(`SELECT id FROM campaigns WHERE organisation_id = $1 LIMIT 1`, [org.organisationId]);
      const asked = await audit(other.token, { campaignId: campaign.id });
      expect(asked.status).toBe(200);
      expect(asked.body).toEqual({ items: [], nextCursor: null });
    });

    it('shows an admin everything', async () => {
      const { items } = await allPages(admin, { limit: 200 });
      const [{ n: total }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events`);
      expect(items).toHaveLength(total);
      expect(items.some((i) => i.action === 'blocks.add')).toBe(true);
      expect(items.some((i) => i.organisationId === other.organisationId)).toBe(true);
      expect(items.some((i) => i.organisationId === org.organisationId)).toBe(true);
    });

    it('refuses bad query values with 400 VALIDATION_FAILED naming the field, and anyone without a token with 401', async () => {
      for (const [field, value] of [
        ['action', 'campaign.delete'],
        ['campaignId', 'not-a-uuid'],
        ['cursor', 'bm9wZQ'],
        ['limit', '0'],
        ['limit', '201'],
      ]) {
        const res = await audit(org.token, { [field]: value });
        expect([field, res.status, res.body.code]).toEqual([field, 400, 'VALIDATION_FAILED']);
        expect(JSON.stringify(res.body.details)).toContain(field);
      }
      expect((await audit(org.token, { unknown: 'x' })).status).toBe(400);
      const anonymous = await t.http().get('/api/v1/audit');
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'AUTH_REQUIRED']);
    });
  });

  it('holds no supporter’s email or name, no organiser’s email, and no address, anywhere in the table', async () => {
    const dump: { row: string }[] = await t.db.query(`SELECT audit_events::text AS row FROM audit_events`);
    const text = dump.map((d) => d.row).join('\n');
    expect(dump.length).toBeGreaterThan(15);
    // The supporters named here are really in the database (or were, before a discard or an invalidation).
    for (const secret of [SUPPORTERS.name, SUPPORTERS.email, SUPPORTERS.heldName, SUPPORTERS.heldEmail, 'Sara Jabbar', 'Ali Mahdi', 'Layla', 'example.org', 'example.net', '@', org.email, '203.0.113.', '127.0.0.1']) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });
});
