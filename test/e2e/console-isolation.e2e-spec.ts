import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { consoleCsrf, consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: string;
}

/**
 * Every console address that names a campaign, found in the controllers' own route metadata (so a
 * page added later is covered without editing this list).
 */
function campaignRoutes(t: TestApp): ConsoleRoute[] {
  const routes: ConsoleRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || (method !== RequestMethod.GET && method !== RequestMethod.POST)) continue;
        for (const path of [paths].flat()) {
          if (/^en\/console\/campaigns\/:id\b/.test(path)) routes.push({ method: method === RequestMethod.GET ? 'GET' : 'POST', path: `/${path}` });
        }
      }
    }
  }
  return routes;
}

/**
 * An organiser of one organisation reaches nothing of another's campaign through any console URL:
 * every page, download and form of the campaign answers the same 404 as a campaign that does not
 * exist, and no post changes anything.
 */
describe('console: one organisation never sees another\'s campaigns (e2e)', () => {
  let t: TestApp;
  let owner: OrganiserLogin;
  let outsider: OrganiserLogin;
  let campaign: { id: string; slug: string; title?: unknown };
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createOrganiserWithOrganisation(t);
    outsider = await createOrganiserWithOrganisation(t);
    campaign = await createLiveCampaign(t, owner.token, { title: 'The owner\'s campaign' });
    const target = await t
      .http()
      .post(`/api/v1/campaigns/${campaign.id}/targets`)
      .set('Authorization', `Bearer ${owner.token}`)
      .send({ name: 'World Heritage Centre', email: 'whc@example.org', locale: 'en' });
    expect(target.status).toBe(201);
    const anyId = '00000000-0000-4000-8000-000000000001';
    ids = { id: campaign.id, targetId: target.body.id, letterId: anyId, signatureId: anyId, updateId: anyId, action: 'close' };
  });

  afterAll(async () => {
    await t?.close();
  });

  const fill = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'x');

  it('finds the campaign pages to check', () => {
    const found = campaignRoutes(t).map((r) => `${r.method} ${r.path}`);
    // The pages that exist today; any page added later is checked too.
    expect(found).toEqual(expect.arrayContaining(['GET /en/console/campaigns/:id/share', 'GET /en/console/campaigns/:id/qr.svg']));
  });

  it('answers 404 to another organisation\'s organiser on every campaign URL, and changes nothing', async () => {
    const cookie = await consoleSignIn(t, outsider.email);
    const csrf = await consoleCsrf(t, cookie);
    const before = (await t.http().get(`/api/v1/campaigns/${campaign.id}`).set('Authorization', `Bearer ${owner.token}`)).body;
    const problems: string[] = [];
    for (const route of campaignRoutes(t)) {
      for (const locale of ['en', 'ar']) {
        const path = fill(route.path).replace(/^\/en\//, `/${locale}/`);
        const res =
          route.method === 'GET'
            ? await t.http().get(path).set('Cookie', cookie)
            : await t.http().post(path).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf, confirm: 'yes', outcome: 'x', title: 'Taken over' });
        if (res.status !== 404) problems.push(`${route.method} ${path}: ${res.status}`);
        if (res.text.includes('The owner')) problems.push(`${route.method} ${path}: shows the campaign`);
      }
    }
    expect(problems).toEqual([]);
    const after = (await t.http().get(`/api/v1/campaigns/${campaign.id}`).set('Authorization', `Bearer ${owner.token}`)).body;
    expect(after).toEqual(before);
    const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND action NOT IN ('auth.login')`, [outsider.organiserId]);
    expect(audit[0].n).toBe(0);
  });

  it('shows the owner the same pages (the check above is not just every URL answering 404)', async () => {
    const cookie = await consoleSignIn(t, owner.email);
    const res = await t.http().get(fill('/en/console/campaigns/:id/share')).set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('The owner');
  });
});
