import { Environment } from '../../src/config/environment';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { LettersService } from '../../src/modules/letters/letters.service';
import { OrganisationsService } from '../../src/modules/organisations/organisations.service';
import { SetupService } from '../../src/modules/setup/setup.service';
import { TargetsService } from '../../src/modules/targets/targets.service';
import { createTestApp, TestApp, truncateAll } from '../support/test-app';

describe('first start: the first admin and the demo campaign', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_DATA: 'true' });
  });
  afterAll(() => t.close());

  const setupWith = (env: Environment) =>
    new SetupService(
      env,
      t.app.get(OrganisationsService),
      t.app.get(CampaignsService),
      t.app.get(TargetsService),
      t.db,
      t.app.get(LettersService),
    );

  it('lists the bilingual demo urgent action publicly, with a goal and a deadline', async () => {
    const res = await t.http().get('/api/v1/campaigns').expect(200);
    expect(res.body.total).toBe(1);
    const [demo] = res.body.items;
    expect(demo).toMatchObject({
      slug: 'where-is-salim-radhi',
      kind: 'urgent_action',
      status: 'live',
      locale: 'ar',
      availableLocales: ['ar', 'en'],
      goal: 5000,
      signatureCount: 0,
    });
    expect(demo.title).toMatch(/سليم راضي/);
    expect(demo.translations.en.title).toMatch(/Salim Radhi/);
    const days = (Date.parse(demo.endsAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('gives the demo one target official at an example.org address, shown to the admin only', async () => {
    const admin = await t.adminToken();
    const [{ id }] = (await t.http().get('/api/v1/campaigns')).body.items;
    const targets = await t.http().get(`/api/v1/campaigns/${id}/targets`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(targets.body).toHaveLength(1);
    expect(targets.body[0].email).toMatch(/@example\.org$/);
    const page = await t.http().get('/api/v1/campaigns/where-is-salim-radhi').expect(200);
    expect(JSON.stringify(page.body)).not.toContain('@');
  });

  it('speaks Arabic on Arabic pages and letters: organisation, target, salutation and sign-off; English in the English letter', async () => {
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const page = (await t.http().get('/ar/c/where-is-salim-radhi').expect(200)).text;
    expect(page).toContain('شبكة المدافعين عن الأهوار');
    expect(page).toContain('<bdi class="who">معالي وزير الداخلية</bdi>');
    expect(page).toContain('وزارة الداخلية');
    expect(page).not.toContain('Office of the Minister');
    expect(page).toContain('توقيت العراق');
    expect(page).not.toContain('UTC');

    const [{ id }] = (await t.http().get('/api/v1/campaigns')).body.items;
    const [target] = (await t.http().get(`/api/v1/campaigns/${id}/targets`).set(admin).expect(200)).body;
    expect(target).toMatchObject({ locale: 'ar', name: 'معالي وزير الداخلية' });
    const ar = await t.http().get(`/api/v1/campaigns/${id}/letter/preview`).query({ targetId: target.id }).set(admin).expect(200);
    expect(ar.body).toMatchObject({ locale: 'ar', requestedLocale: 'ar', fellBack: false });
    expect(ar.body.text).toMatch(/^معالي وزير الداخلية المحترم،/);
    expect(ar.body.text).toMatch(/مع الاحترام،\n\nليلى حسن$/);
    expect(ar.body.text).not.toMatch(/[A-Za-z]/);

    const en = await t.http().get(`/api/v1/campaigns/${id}/letter/preview`).query({ locale: 'en' }).set(admin).expect(200);
    expect(en.body).toMatchObject({ locale: 'en', requestedLocale: 'en', fellBack: false, subject: 'Reveal the fate of environmental defender Salim Radhi' });
    expect(en.body.text).toMatch(/^Dear Minister,/);
    expect(en.body.text).toMatch(/Yours faithfully,\n\nLayla Hassan$/);
    expect(en.body.text).not.toMatch(/[\u0600-\u06FF]/);
  });

  it('seeds nothing a second time, and nothing at all in production', async () => {
    await t.app.get(SetupService).run();
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM campaigns');
    expect(n).toBe(1);

    await truncateAll(t.db);
    await setupWith({ ...t.env, NODE_ENV: 'production' } as Environment).run();
    const [{ campaigns }] = await t.db.query('SELECT count(*)::int AS campaigns FROM campaigns');
    const [{ admins }] = await t.db.query("SELECT count(*)::int AS admins FROM organisers WHERE role = 'admin'");
    expect({ campaigns, admins }).toEqual({ campaigns: 0, admins: 1 });
  });

  it('creates the first admin once, even when processes start together', async () => {
    await truncateAll(t.db);
    await Promise.all([1, 2, 3].map(() => t.app.get(SetupService).run()));
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM organisers');
    expect(n).toBe(1);
    const [{ c }] = await t.db.query('SELECT count(*)::int AS c FROM campaigns');
    expect(c).toBe(1);
  });
});
