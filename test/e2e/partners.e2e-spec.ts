import { consoleCsrf, consoleSignIn, FORM, SAME_ORIGIN } from '../support/console';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { signAndConfirm } from '../support/signing';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** A header as sent, unfolded. */
function header(mail: ReceivedMail, name: string): string | null {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

type Role = 'lead' | 'editor' | 'viewer' | 'invited' | 'other';
const ROLES: Role[] = ['editor', 'viewer', 'invited', 'other', 'lead'];

/**
 * Coalitions end to end: a lead and partner organisations run one campaign. Each sees and does
 * only what its role allows; supporters choose which organisations may contact them, and each
 * organisation's export, list and update emails hold only those who agreed to it; an unsubscribe
 * stops the organisation that sent the email, not the others.
 */
jest.setTimeout(120_000);

describe('partners and per-partner consent', () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  const as: Record<Role, OrganiserLogin> = {} as never;
  const bearer = (r: Role) => ({ Authorization: `Bearer ${as[r].token}` });

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <updates@nida.test>',
      UPDATE_EMAILS_PER_WEEK: '20',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
      MAIL_BACKOFF_MS: '50',
    });
    as.lead = await createOrganiserWithOrganisation(t, 'Marsh Defenders');
    as.editor = await createOrganiserWithOrganisation(t, 'Water Watch');
    as.viewer = await createOrganiserWithOrganisation(t, 'Tigris Friends');
    as.invited = await createOrganiserWithOrganisation(t, 'Invited Only');
    as.other = await createOrganiserWithOrganisation(t, 'Elsewhere');
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  /** A live campaign of the lead with an editor and a viewer partner that accepted, and an invitation left unanswered. */
  async function coalitionCampaign(overrides: Record<string, unknown> = {}) {
    const campaign = await createLiveCampaign(t, as.lead.token, overrides);
    for (const [who, role] of [['editor', 'editor'], ['viewer', 'viewer'], ['invited', 'editor']] as const) {
      await t.http().post(`/api/v1/campaigns/${campaign.id}/partners`).set(bearer('lead')).send({ organisationId: as[who].organisationId, role }).expect(201);
    }
    await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('editor')).expect(200);
    await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('viewer')).expect(200);
    return campaign;
  }

  it('invites, lists, accepts and declines; only the lead manages partners', async () => {
    const campaign = await createLiveCampaign(t, as.lead.token);
    const path = `/api/v1/campaigns/${campaign.id}/partners`;
    const invited = await t.http().post(path).set(bearer('lead')).send({ organisationId: as.editor.organisationId, role: 'editor' }).expect(201);
    expect(invited.body).toMatchObject({ organisationId: as.editor.organisationId, organisationName: 'Water Watch', role: 'editor', status: 'invited' });
    // Again: 409; the lead itself, an unknown organisation, a bad role: clear 4xx.
    expect((await t.http().post(path).set(bearer('lead')).send({ organisationId: as.editor.organisationId, role: 'viewer' }).expect(409)).body.code).toBe('PARTNER_EXISTS');
    expect((await t.http().post(path).set(bearer('lead')).send({ organisationId: as.lead.organisationId, role: 'viewer' }).expect(400)).body.code).toBe('PARTNER_IS_LEAD');
    expect((await t.http().post(path).set(bearer('lead')).send({ organisationId: '00000000-0000-4000-8000-000000000000', role: 'viewer' }).expect(404)).body.code).toBe(
      'PARTNER_ORGANISATION_NOT_FOUND',
    );
    expect((await t.http().post(path).set(bearer('lead')).send({ organisationId: as.other.organisationId, role: 'owner' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http().post(path).set(bearer('lead')).send({ organisationId: as.other.organisationId, role: 'viewer', status: 'accepted' }).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );

    // The invited organisation sees the invitation; it does not run the campaign yet.
    const mine = await t.http().get('/api/v1/partnerships').set(bearer('editor')).expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ status: 'invited', role: 'editor', campaign: expect.objectContaining({ id: campaign.id }), lead: { id: as.lead.organisationId, name: 'Marsh Defenders' } })]);
    expect((await t.http().get(path).set(bearer('editor')).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
    // Another organisation cannot answer for it.
    expect((await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('other')).expect(404)).body.code).toBe('PARTNERSHIP_NOT_FOUND');

    const accepted = await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('editor')).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', respondedAt: expect.any(String) });
    await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('editor')).expect(200); // again: the same
    const listed = await t.http().get(path).set(bearer('editor')).expect(200);
    expect(listed.body).toMatchObject({ lead: { id: as.lead.organisationId, name: 'Marsh Defenders' }, items: [{ organisationName: 'Water Watch', status: 'accepted' }] });

    // Only the lead changes roles or removes.
    const partnerPath = `${path}/${as.editor.organisationId}`;
    expect((await t.http().patch(partnerPath).set(bearer('editor')).send({ role: 'viewer' }).expect(403)).body.code).toBe('CAMPAIGN_ROLE_FORBIDDEN');
    expect((await t.http().patch(partnerPath).set(bearer('lead')).send({ role: 'viewer' }).expect(200)).body).toMatchObject({ role: 'viewer', status: 'accepted' });
    expect((await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set(bearer('editor')).send({ title: 'As a viewer' }).expect(403)).body.code).toBe('CAMPAIGN_ROLE_FORBIDDEN');
    expect((await t.http().delete(partnerPath).set(bearer('editor')).expect(403)).body.code).toBe('CAMPAIGN_ROLE_FORBIDDEN');
    await t.http().delete(partnerPath).set(bearer('lead')).expect(204);
    await t.http().delete(partnerPath).set(bearer('lead')).expect(204); // again: no error
    expect((await t.http().get(path).set(bearer('editor')).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
    expect((await t.http().get('/api/v1/partnerships').set(bearer('editor')).expect(200)).body).toEqual([]);

    // Invited again after removal; declining leaves nothing.
    await t.http().post(path).set(bearer('lead')).send({ organisationId: as.editor.organisationId, role: 'viewer' }).expect(201);
    expect((await t.http().post(`/api/v1/partnerships/${campaign.id}/decline`).set(bearer('editor')).expect(200)).body.status).toBe('declined');
    expect((await t.http().post(`/api/v1/partnerships/${campaign.id}/accept`).set(bearer('editor')).expect(404)).body.code).toBe('PARTNERSHIP_NOT_FOUND');
    expect((await t.http().get(path).set(bearer('editor')).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
  });

  it('two invitations of one organisation racing make one partner', async () => {
    const campaign = await createLiveCampaign(t, as.lead.token);
    const send = () =>
      t.http().post(`/api/v1/campaigns/${campaign.id}/partners`).set(bearer('lead')).send({ organisationId: as.viewer.organisationId, role: 'viewer' });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM campaign_partners WHERE campaign_id = $1`, [campaign.id]);
    expect(n).toBe(1);
  });

  it('lets each organisation do only what its role allows (routes × roles)', async () => {
    const campaign = await coalitionCampaign();
    const id = campaign.id;
    const target = await t.http().post(`/api/v1/campaigns/${id}/targets`).set(bearer('lead')).send({ name: 'Minister', email: 'minister@example.org' }).expect(201);
    // [method, path, body, lead, editor, viewer]; invited and other organisations: 403 CAMPAIGN_FORBIDDEN everywhere.
    const rows: [string, string, Record<string, unknown> | null, number, number, number][] = [
      ['get', `/api/v1/campaigns/${id}/stats`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/partners`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/targets`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/targets/${target.body.id}/replies`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/letter`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/letters`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/updates`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/signatures`, null, 200, 200, 200],
      ['get', `/api/v1/campaigns/${id}/signatures.csv`, null, 200, 200, 200],
      ['post', `/api/v1/campaigns/${id}/targets`, { name: 'Governor', email: 'governor@example.org' }, 201, 201, 403],
      ['patch', `/api/v1/campaigns/${id}/targets/${target.body.id}`, { title: 'Minister of Water' }, 200, 200, 403],
      ['patch', `/api/v1/campaigns/${id}`, { summary: 'A shorter summary of the appeal.' }, 200, 200, 403],
      ['patch', `/api/v1/campaigns/${id}`, { letter: { mode: 'per_signature', subject: 'Save the marshes', body: 'Dear minister, act now.' } }, 200, 200, 403],
      ['put', `/api/v1/campaigns/${id}/letter/translations/ar`, { subject: 'أنقذوا الأهوار', body: 'السيد الوزير، تحرّك الآن.' }, 200, 200, 403],
      ['post', `/api/v1/campaigns/${id}/updates`, { title: 'News', body: 'The ministry answered.', notify: false }, 201, 201, 403],
      ['patch', `/api/v1/campaigns/${id}`, { goal: 5000 }, 200, 403, 403],
      ['get', `/api/v1/campaigns/${id}/signatures/held`, null, 200, 403, 403],
      ['get', `/api/v1/campaigns/${id}/invalidations`, null, 200, 403, 403],
      ['post', `/api/v1/campaigns/${id}/partners`, { organisationId: as.other.organisationId, role: 'viewer' }, 201, 403, 403],
      ['post', `/api/v1/campaigns/${id}/close`, null, 200, 403, 403],
      ['post', `/api/v1/campaigns/${id}/publish`, null, 200, 403, 403],
      ['post', `/api/v1/campaigns/${id}/win`, { outcome: 'Released' }, 200, 403, 403],
    ];
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [method, path, body, lead, editor, viewer] of rows) {
      const want: Record<Role, number> = { lead, editor, viewer, invited: 403, other: 403 };
      for (const role of ROLES) {
        const req = (t.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path).set(bearer(role));
        const res = body ? await req.send(body) : await req;
        const code = res.status === 403 ? (JSON.parse(Buffer.isBuffer(res.body) ? res.body.toString() : res.text || '{}').code ?? '') : '';
        seen.push(`${method} ${path.replace(id, ':id')} ${role} ${res.status} ${code}`);
        const wantCode = want[role] !== 403 ? '' : role === 'invited' || role === 'other' ? 'CAMPAIGN_FORBIDDEN' : 'CAMPAIGN_ROLE_FORBIDDEN';
        expected.push(`${method} ${path.replace(id, ':id')} ${role} ${want[role]} ${wantCode}`);
      }
    }
    expect(seen).toEqual(expected);
  });

  it('names the organisations on the API and the page, and takes per-organisation consent: a supporter who chose only the partner is in its export, not the lead’s', async () => {
    const campaign = await coalitionCampaign({ title: 'Save the Ahwar marshes' });
    const slug = campaign.slug;
    const pub = await t.http().get(`/api/v1/campaigns/${slug}`).expect(200);
    expect(pub.body.organisation).toEqual({ id: as.lead.organisationId, name: 'Marsh Defenders' });
    // Accepted partners only (the invitation left unanswered is not named).
    expect(pub.body.partners).toEqual([
      { id: as.editor.organisationId, name: 'Water Watch' },
      { id: as.viewer.organisationId, name: 'Tigris Friends' },
    ]);
    const en = await t.http().get(`/en/c/${slug}`).expect(200);
    expect(en.text).toContain('By <bdi>Marsh Defenders</bdi>, with <bdi>Water Watch</bdi> and <bdi>Tigris Friends</bdi>');
    const ar = await t.http().get(`/ar/c/${slug}`).expect(200);
    expect(ar.text).toContain('من <bdi>Marsh Defenders</bdi>، بالشراكة مع <bdi>Water Watch</bdi> و<bdi>Tigris Friends</bdi>');
    // One box per organisation, each named.
    for (const o of [as.lead, as.editor, as.viewer]) expect(en.text).toMatch(new RegExp(`name="contactOrganisations" type="checkbox" value="${o.organisationId}"`));
    expect(en.text).not.toContain('name="contactConsent"');
    expect(ar.text).toContain('من يمكنه مراسلتي بشأن هذه الحملة');

    const sign = (email: string, contactConsent: unknown) =>
      t.http().post(`/api/v1/campaigns/${slug}/signatures`).send({ name: 'Bad Signer', email, country: 'IQ', contactConsent });
    // An organisation that does not run the campaign (the unanswered invitation, another): 400, nothing written.
    for (const bad of [[as.invited.organisationId], [as.other.organisationId], [as.editor.organisationId, '00000000-0000-4000-8000-000000000000']]) {
      const res = await sign('bad@example.org', bad).expect(400);
      expect(res.body.code).toBe('SIGNATURE_CONSENT_ORGANISATION_UNKNOWN');
    }
    for (const bad of ['yes', ['not-a-uuid'], [1], { all: true }]) expect((await sign('bad@example.org', bad).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM signatures WHERE campaign_id = $1`, [campaign.id]))[0].n).toBe(0);

    await signAndConfirm(t, smtp, slug, { name: 'Only Partner', email: 'only-partner@example.org', country: 'IQ', contactConsent: [as.editor.organisationId.toUpperCase()] });
    await signAndConfirm(t, smtp, slug, { name: 'Everyone', email: 'everyone@example.org', country: 'IQ', contactConsent: true });
    await signAndConfirm(t, smtp, slug, { name: 'Only Lead', email: 'only-lead@example.org', country: 'IQ', contactConsent: [as.lead.organisationId] });
    await signAndConfirm(t, smtp, slug, { name: 'Nobody', email: 'nobody@example.org', country: 'IQ', contactConsent: false });
    // The page form: boxes for the lead and the viewer partner.
    const form = await t
      .http()
      .post(`/en/c/${slug}`)
      .type('form')
      .send(`name=Form+Signer&email=form%40example.org&country=IQ&contactOrganisations=${as.lead.organisationId}&contactOrganisations=${as.viewer.organisationId}&contactOrganisations=${as.other.organisationId}`);
    expect(form.status).toBe(303);
    const [{ ids }] = await t.db.query(`SELECT contact_organisation_ids::text[] AS ids FROM signatures WHERE campaign_id = $1 AND contact_consent AND cardinality(contact_organisation_ids) = 2`, [campaign.id]);
    expect([...ids].sort()).toEqual([as.lead.organisationId, as.viewer.organisationId].sort());

    const csv = async (role: Role) => {
      const res = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures.csv`).set(bearer(role)).buffer(true).parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
      expect(res.status).toBe(200);
      return res.body as string;
    };
    const partnerCsv = await csv('editor');
    expect(partnerCsv).toContain('only-partner@example.org');
    expect(partnerCsv).toContain('everyone@example.org');
    expect(partnerCsv).not.toContain('only-lead@example.org');
    expect(partnerCsv).not.toContain('Only Lead'); // not even the row
    expect(partnerCsv).not.toContain('Nobody');
    expect(partnerCsv).not.toContain('Form Signer');
    const leadCsv = await csv('lead');
    expect(leadCsv).not.toContain('only-partner@example.org');
    expect(leadCsv).not.toContain('Only Partner'); // not even the row: an export holds only the exporter's consenters
    expect(leadCsv).not.toContain('Nobody');
    expect(leadCsv).toContain('everyone@example.org');
    expect(leadCsv).toContain('only-lead@example.org');
    const viewerCsv = await csv('viewer');
    expect(viewerCsv).toContain('everyone@example.org');
    expect(viewerCsv).toContain('Form Signer');
    expect(viewerCsv).not.toContain('only-partner@example.org');

    // The supporter list (JSON) alike: the partner sees only those who agreed to it.
    const list = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures`).set(bearer('editor')).expect(200);
    expect(list.body.items.map((i: { name: string }) => i.name).sort()).toEqual(['Everyone', 'Only Partner']);
    expect(list.body.items.every((i: { contactConsent: boolean; email: string | null }) => i.contactConsent && i.email)).toBe(true);
    const leadList = await t.http().get(`/api/v1/campaigns/${campaign.id}/signatures`).set(bearer('lead')).expect(200);
    // The lead's list keeps every signature (it releases held ones and invalidates), without the email of those who did not agree to it.
    const onlyPartner = leadList.body.items.find((i: { name: string }) => i.name === 'Only Partner');
    expect(onlyPartner).toMatchObject({ contactConsent: false, email: null });
  });

  it('sends a partner’s update only to those who agreed to the partner; an unsubscribe stops that partner’s emails, not the lead’s', async () => {
    const campaign = await coalitionCampaign({ title: 'Free the fishermen' });
    const slug = campaign.slug;
    await signAndConfirm(t, smtp, slug, { name: 'P', email: 'u-partner@example.org', country: 'IQ', contactConsent: [as.editor.organisationId] });
    await signAndConfirm(t, smtp, slug, { name: 'A', email: 'u-all@example.org', country: 'IQ', contactConsent: true });
    await signAndConfirm(t, smtp, slug, { name: 'L', email: 'u-lead@example.org', country: 'IQ', contactConsent: [as.lead.organisationId] });
    await signAndConfirm(t, smtp, slug, { name: 'N', email: 'u-none@example.org', country: 'IQ' });

    const post = async (role: Role, title: string) => {
      const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(bearer(role)).send({ title, body: `${title}.`, notify: true }).expect(201);
      return waitUntil(async () => {
        const p = (await t.http().get(`/api/v1/campaigns/${campaign.id}/updates/${res.body.id}`).set(bearer(role)).expect(200)).body;
        return p.fannedOut && p.pending === 0 && p.sendState === 'done' ? p : null;
      }, 30000, 100);
    };
    const got = (title: string) =>
      smtp.received
        .filter((m) => header(m, 'X-Nida-Update') && m.raw.includes(title))
        .map((m) => m.envelope.to[0])
        .sort();

    const first = await post('editor', 'Partner news one');
    expect(first).toMatchObject({ recipients: 2, sent: 2 });
    expect(got('Partner news one')).toEqual(['u-all@example.org', 'u-partner@example.org']);
    const partnerMail = smtp.received.find((m) => m.envelope.to.includes('u-all@example.org') && m.raw.includes('Partner news one'))!;
    expect(partnerMail.raw).toContain('Water Watch');
    const lead = await post('lead', 'Lead news one');
    expect(lead).toMatchObject({ recipients: 2, sent: 2 });
    expect(got('Lead news one')).toEqual(['u-all@example.org', 'u-lead@example.org']);

    // u-all unsubscribes (one click) from the partner's email: the partner's updates stop for them, the lead's do not.
    const link = /^<(https?:\/\/[^>]+)>/.exec(header(partnerMail, 'List-Unsubscribe') ?? '')![1];
    const page = await t.http().get(new URL(link).pathname).expect(200);
    expect(page.text).toContain('Water Watch');
    await t.http().post(new URL(link).pathname).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await post('editor', 'Partner news two');
    expect(got('Partner news two')).toEqual(['u-partner@example.org']);
    await post('lead', 'Lead news two');
    expect(got('Lead news two')).toEqual(['u-all@example.org', 'u-lead@example.org']);

    // "Everything from this organisation" from the lead's email stops the lead's, not the partner's.
    const leadMail = smtp.received.find((m) => m.envelope.to.includes('u-lead@example.org') && m.raw.includes('Lead news two'))!;
    const leadLink = /^<(https?:\/\/[^>]+)>/.exec(header(leadMail, 'List-Unsubscribe') ?? '')![1];
    await t.http().post(new URL(leadLink).pathname).type('form').send('scope=organisation').expect(200);
    const [row] = await t.db.query(`SELECT scope, scope_id FROM update_opt_outs WHERE scope = 'organisation'`);
    expect(row).toEqual({ scope: 'organisation', scope_id: as.lead.organisationId });
    await post('lead', 'Lead news three');
    expect(got('Lead news three')).toEqual(['u-all@example.org']);

    // A partner pauses or cancels only its own sends.
    const leadUpdate = (await t.http().get(`/api/v1/campaigns/${campaign.id}/updates`).set(bearer('editor')).expect(200)).body.items.find(
      (u: { title: string }) => u.title === 'Lead news three',
    );
    expect((await t.http().post(`/api/v1/campaigns/${campaign.id}/updates/${leadUpdate.id}/cancel`).set(bearer('editor')).expect(403)).body.code).toBe(
      'CAMPAIGN_ROLE_FORBIDDEN',
    );
  });

  it('in the console: the lead invites from its Partners tab; the partner accepts on its dashboard and sees the tabs its role opens', async () => {
    const campaign = await createLiveCampaign(t, as.lead.token, { title: 'Console coalition' });
    const lead = await consoleSignIn(t, as.lead.email);
    const partner = await consoleSignIn(t, as.viewer.email);
    const tab = `/en/console/campaigns/${campaign.id}/partners`;
    const page = await t.http().get(tab).set('Cookie', lead).expect(200);
    expect(page.text).toContain(`<option value="${as.viewer.organisationId}">Tigris Friends</option>`);
    expect(page.text).not.toContain(`<option value="${as.lead.organisationId}"`);
    const csrf = await consoleCsrf(t, lead, tab);
    const invited = await t.http().post(tab).set(SAME_ORIGIN).set('Cookie', lead).type(FORM).send({ csrf, organisationId: as.viewer.organisationId, role: 'viewer' });
    expect(invited.status).toBe(303);
    const again = await t.http().post(tab).set(SAME_ORIGIN).set('Cookie', lead).type(FORM).send({ csrf, organisationId: as.viewer.organisationId, role: 'viewer' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already invited');
    // The partner's organisers: not the lead's Partners tab; the invitation on their dashboard.
    await t.http().get(tab).set('Cookie', partner).expect(404);
    await t.http().get(`/en/console/campaigns/${campaign.id}/stats`).set('Cookie', partner).expect(404);
    const home = await t.http().get('/en/console').set('Cookie', partner).expect(200);
    expect(home.text).toContain('Invited by Marsh Defenders as Viewer');
    const ar = await t.http().get('/ar/console').set('Cookie', partner).expect(200);
    expect(ar.text).toContain('دعتكم Marsh Defenders بدور مشاهد');
    const partnerCsrf = await consoleCsrf(t, partner);
    const accepted = await t.http().post(`/en/console/partnerships/${campaign.id}/accept`).set(SAME_ORIGIN).set('Cookie', partner).type(FORM).send({ csrf: partnerCsrf });
    expect(accepted.status).toBe(303);
    const stats = await t.http().get(`/en/console/campaigns/${campaign.id}/stats`).set('Cookie', partner).expect(200);
    const tabs = /<nav class="console-tabs"[\s\S]*?<\/nav>/.exec(stats.text)![0];
    expect([...tabs.matchAll(/<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1])).toEqual(['Supporters', 'Statistics', 'Share']);
    await t.http().get(`/en/console/campaigns/${campaign.id}/targets`).set('Cookie', partner).expect(404);
    const leadStats = await t.http().get(`/en/console/campaigns/${campaign.id}/stats`).set('Cookie', lead).expect(200);
    expect(leadStats.text).toContain('>Partners</a>');
    const listed = await t.http().get(tab).set('Cookie', lead).expect(200);
    expect(listed.text).toMatch(/<bdi>Tigris Friends<\/bdi><\/td><td>Viewer<\/td><td>Partner<\/td>/);
  });
});
