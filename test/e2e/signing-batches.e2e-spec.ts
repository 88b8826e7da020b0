import { PreparedStatement } from '../../src/infra/database/prepared-statement';
import { newConfirmationToken } from '../../src/modules/signatures/new-token';
import { NewSignature, SignaturesRepository } from '../../src/modules/signatures/signatures.repository';
import { TallyFoldLoop } from '../../src/modules/tally/jobs/tally-fold.loop';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { emailHash } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const ACCEPTED = '{"status":"pending"}';

/**
 * The signers that reach the signing statement in one turn of the event loop share it (one
 * statement, one commit): each still gets its own answer, its own rows and its own email, and
 * one signer's bad row fails no one else.
 */
describe('signing in batches (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let repo: SignaturesRepository;
  const smtp = new SmtpSink();
  let seq = 0;
  const address = (label: string) => `${label}-${++seq}-${Date.now().toString(36)}@example.org`;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), MAIL_RELAY_INTERVAL_MS: '100', TALLY_INTERVAL_MS: '100' });
    org = await createOrganiserWithOrganisation(t, 'Ahwar Network');
    repo = t.app.get(SignaturesRepository);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  const signer = (email: string, overrides: Partial<NewSignature> = {}): NewSignature => ({
    email,
    emailHash: emailHash(email),
    name: 'Layla Hassan',
    country: 'IQ',
    city: null,
    comment: null,
    showName: false,
    contactOrganisations: 'all',
    replyConsent: false,
    locale: null,
    ipHash: null,
    ...overrides,
  });
  const token = () => newConfirmationToken(t.env);

  /** How many signers each signing statement run while `fn` ran carried. */
  async function statementSizes(fn: () => Promise<unknown>): Promise<number[]> {
    const spy = jest.spyOn(PreparedStatement.prototype, 'rows');
    spy.mockClear();
    await fn();
    return spy.mock.calls
      .filter((_, i) => (spy.mock.contexts[i] as PreparedStatement).name === 'signatures.insert-new-batch')
      .map(([, values]) => (values[0] as unknown[]).length);
  }

  async function rowsOf(campaignId: string) {
    return t.db.query(
      `SELECT s.email_hash, s.contact_organisation_ids, s.locale, s.emails_queued,
              (SELECT count(*)::int FROM signature_tokens k WHERE k.signature_id = s.id) AS tokens,
              (SELECT count(*)::int FROM mail_outbox m WHERE m.signature_id = s.id) AS emails
         FROM signatures s WHERE s.campaign_id = $1`,
      [campaignId],
    );
  }

  it('signers of one turn share one statement; each gets its own answer and rows', async () => {
    const open = await createLiveCampaign(t, org.token);
    const other = await createLiveCampaign(t, org.token, { locale: 'ar' });
    const twice = address('twice');
    const emails = Array.from({ length: 6 }, () => address('crowd'));
    let results: Awaited<ReturnType<SignaturesRepository['insertNew']>>[] = [];
    const sizes = await statementSizes(async () => {
      results = await Promise.all([
        ...emails.map((e) => repo.insertNew(open.slug, signer(e), token())),
        repo.insertNew(open.slug, signer(twice), token()),
        repo.insertNew(open.slug, signer(twice), token()),
        repo.insertNew('no-such-campaign', signer(address('lost')), token()),
        repo.insertNew(open.slug, signer(address('odd'), { contactOrganisations: ['00000000-0000-4000-8000-000000000000'] }), token()),
        repo.insertNew(open.slug, signer(address('chosen'), { contactOrganisations: [org.organisationId] }), token()),
        repo.insertNew(other.slug, signer(address('arabic')), token()),
      ]);
    });
    expect(sizes).toEqual([12]);

    const [crowd, [first, second, lost, odd, chosen, arabic]] = [results.slice(0, 6), results.slice(6)];
    for (const r of crowd) expect(r).toEqual({ open: true, consentOk: true, campaignId: open.id, outboxId: expect.any(String) });
    expect(new Set(crowd.map((r) => r.open && r.consentOk && r.outboxId)).size).toBe(6);
    // One email key twice in one batch: one insert, the other a duplicate (no outbox row).
    expect(first).toEqual({ open: true, consentOk: true, campaignId: open.id, outboxId: expect.any(String) });
    expect(second).toEqual({ open: true, consentOk: true, campaignId: open.id, outboxId: null });
    expect(lost).toEqual({ open: false });
    expect(odd).toEqual({ open: true, consentOk: false });
    expect(chosen).toEqual({ open: true, consentOk: true, campaignId: open.id, outboxId: expect.any(String) });
    expect(arabic).toEqual({ open: true, consentOk: true, campaignId: other.id, outboxId: expect.any(String) });

    const rows = await rowsOf(open.id);
    expect(rows).toHaveLength(8); // six, one of the pair, the chosen consent; not the odd one
    for (const row of rows) expect([row.tokens, row.emails, row.emails_queued]).toEqual([1, 1, 1]);
    const byHash = new Map(rows.map((r: { email_hash: string }) => [r.email_hash, r]));
    expect(byHash.get(emailHash(twice))).toBeDefined();
    // Every organisation running the campaign (its lead alone here), or the one chosen by name: the same list.
    for (const row of rows) expect(row.contact_organisation_ids).toEqual([org.organisationId]);
    expect(rows.every((r: { locale: string }) => r.locale === 'en')).toBe(true);
    const [arabicRow] = await rowsOf(other.id);
    expect(arabicRow.locale).toBe('ar');
    // Each outbox id is the email of its own signer.
    const outboxIds = [...crowd, first, chosen].map((r) => (r.open && r.consentOk ? r.outboxId : null));
    const owners = await t.db.query(
      `SELECT m.id, s.email_hash FROM mail_outbox m JOIN signatures s ON s.id = m.signature_id WHERE m.id = ANY($1::uuid[])`,
      [outboxIds],
    );
    const ownerOf = new Map(owners.map((o: { id: string; email_hash: string }) => [o.id, o.email_hash]));
    [...emails, twice].forEach((e, i) => expect(ownerOf.get(outboxIds[i] as string)).toBe(emailHash(e)));
  });

  it("one signer's bad row fails that signer alone: the batch is tried again signer by signer", async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const good = Array.from({ length: 4 }, () => address('good'));
    // A NUL in the email's domain (stored in clear) makes PostgreSQL refuse the text, and with it the whole statement.
    const bad = signer('bad@exa\u0000mple.org');
    let outcomes: PromiseSettledResult<unknown>[] = [];
    const sizes = await statementSizes(async () => {
      outcomes = await Promise.allSettled([
        ...good.slice(0, 2).map((e) => repo.insertNew(campaign.slug, signer(e), token())),
        repo.insertNew(campaign.slug, bad, token()),
        ...good.slice(2).map((e) => repo.insertNew(campaign.slug, signer(e), token())),
      ]);
    });
    expect(sizes).toEqual([5, 1, 1, 1, 1, 1]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // A consent list the DTO would have refused (it would change the statement's array literal):
    // refused before anything is sent, and the signer beside it signs alone.
    const beside = address('beside');
    const odd = signer(address('odd'), { contactOrganisations: [`${org.organisationId},${org.organisationId}`] });
    const pair = await statementSizes(async () => {
      outcomes = await Promise.allSettled([repo.insertNew(campaign.slug, signer(beside), token()), repo.insertNew(campaign.slug, odd, token())]);
    });
    expect([pair, outcomes.map((o) => o.status)]).toEqual([[1], ['fulfilled', 'rejected']]);
    const rows = await rowsOf(campaign.id);
    expect(rows.map((r: { email_hash: string }) => r.email_hash).sort()).toEqual([...good, beside].map(emailHash).sort());
  });

  it('a crowd signing at once through the API: every signer answered alike, mailed once, and counted once confirmed', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const emails = Array.from({ length: 24 }, () => address('api'));
    const body = (email: string) => ({ name: 'Salim Radhi', email, country: 'IQ' });
    let answers: { status: number; text: string }[] = [];
    const sizes = await statementSizes(async () => {
      answers = await Promise.all(
        [...emails, emails[0], emails[1]].map((e) => t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).send(body(e))),
      );
    });
    for (const a of answers) expect([a.status, a.text]).toEqual([202, ACCEPTED]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(26);
    // The first signature of each address is mailed its confirmation; the two repeats a fresh link each.
    for (const e of emails) await smtp.waitFor(e, e === emails[0] || e === emails[1] ? 2 : 1);
    for (const e of emails) {
      const [mail] = smtp.to(e);
      const confirmToken = new URL(confirmLink(mail)).pathname.split('/').pop();
      const confirmed = await t.http().post('/api/v1/signatures/confirm').send({ token: confirmToken });
      expect(confirmed.status).toBe(200);
    }
    await t.app.get(TallyFoldLoop).loop.runOnce();
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`)).body.verified === 24, 5000);
    expect(await rowsOf(campaign.id)).toHaveLength(24);
  });
});
