import { OrganiserNoticesService } from '../../src/modules/notices/organiser-notices.service';
import { createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('organisers’ notices: milestones of the goal and the deadline (e2e)', () => {
  let t: TestApp;
  let notices: OrganiserNoticesService;
  let org: OrganiserLogin;
  /** A second organiser of the same organisation, and a third one, disabled. */
  const colleague = { email: 'colleague-notices@example.org', id: '' };
  const disabled = { email: 'disabled-notices@example.org', id: '' };
  const smtp = new SmtpSink();

  beforeAll(async () => {
    t = await createTestApp({
      SMTP_URL: await smtp.start(),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '100',
      // The test runs each pass itself.
      ORGANISER_NOTICE_INTERVAL_SECONDS: '3600',
    });
    notices = t.app.get(OrganiserNoticesService);
    org = await createOrganiserWithOrganisation(t);
    const admin = await t.adminToken();
    for (const who of [colleague, disabled]) {
      const res = await t
        .http()
        .post(`/api/v1/organisations/${org.organisationId}/organisers`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: who.email, password: 'a-long-enough-password', name: 'Sami Colleague' })
        .expect(201);
      who.id = res.body.id;
    }
    await t.db.query(`UPDATE organisers SET disabled_at = now() WHERE id = $1`, [disabled.id]);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(() => smtp.clear());

  /** The folded count, as the tally would leave it. */
  const setCount = (campaignId: string, verified: number) =>
    t.db.query(`UPDATE campaign_counters SET verified = $2, updated_at = now() WHERE campaign_id = $1`, [campaignId, verified]);

  const recorded = async (campaignId: string) =>
    (await t.db.query(`SELECT kind, emails FROM organiser_notices WHERE campaign_id = $1 ORDER BY kind`, [campaignId])) as { kind: string; emails: number }[];

  const about = (title: string, address = org.email) => smtp.to(address).filter((m) => (m.parsed.subject ?? '').includes(title));

  /** Waits for the emails queued to arrive, then a little more: nothing else may come. */
  async function settle(address: string, count: number): Promise<ReceivedMail[]> {
    if (count) await smtp.waitFor(address, count);
    await new Promise((r) => setTimeout(r, 400));
    return smtp.to(address);
  }

  it('emails each organiser not disabled once, for the highest milestone passed (10 % → 80 %: 75 % only)', async () => {
    const c = await createLiveCampaign(t, org.token, { goal: 1000 });
    const title = c.title as string;
    await setCount(c.id, 100);
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });

    await setCount(c.id, 800);
    expect(await notices.sweep()).toEqual({ recorded: 3, emails: 2 });
    const [mail] = await settle(org.email, 1);
    expect(about(title)).toHaveLength(1);
    expect(mail.parsed.subject).toBe(`"${title}" reached 75% of its goal`);
    expect(mail.parsed.text).toContain('Hello Noor Organiser,');
    expect(mail.parsed.text).toContain('Verified signatures: 800; the goal: 1,000.');
    expect(mail.parsed.text).toContain(`/en/console/campaigns/${c.id}`);
    expect(mail.parsed.html).toContain(`/en/console/campaigns/${c.id}"`);
    expect(mail.raw).toMatch(/X-Nida-Mail: organiser\.milestone/);
    expect(await settle(colleague.email, 1)).toHaveLength(1);
    expect(smtp.to(disabled.email)).toHaveLength(0);
    // The lower milestones are recorded (never sent later), without emails.
    expect(await recorded(c.id)).toEqual([
      { kind: 'milestone_25', emails: 0 },
      { kind: 'milestone_50', emails: 0 },
      { kind: 'milestone_75', emails: 2 },
    ]);

    // Again: nothing more, even after the count fell back and rose again past the same milestones.
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });
    await setCount(c.id, 300);
    await notices.sweep();
    await setCount(c.id, 850);
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });

    smtp.clear();
    await setCount(c.id, 1003);
    expect(await notices.sweep()).toEqual({ recorded: 1, emails: 2 });
    const [goal] = await settle(org.email, 1);
    expect(goal.parsed.subject).toBe(`"${title}" reached its goal`);
    expect(goal.parsed.text).toContain('Verified signatures: 1,003; the goal: 1,000.');
    expect(smtp.to(disabled.email)).toHaveLength(0);
  });

  it('sends nothing about a campaign without a goal, a draft, or another organisation’s campaign to these organisers', async () => {
    const noGoal = await createLiveCampaign(t, org.token, { goal: null });
    await setCount(noGoal.id, 5000);
    const other = await createOrganiserWithOrganisation(t);
    const theirs = await createLiveCampaign(t, other.token, { goal: 10 });
    await setCount(theirs.id, 10);
    expect(await notices.sweep()).toEqual({ recorded: 4, emails: 1 });
    expect(await recorded(noGoal.id)).toEqual([]);
    await settle(other.email, 1);
    expect(smtp.to(org.email)).toHaveLength(0);
    expect(smtp.to(colleague.email)).toHaveLength(0);
    expect(smtp.to(other.email)[0].parsed.subject).toBe(`"${theirs.title as string}" reached its goal`);
  });

  it('writes to an Arabic campaign’s organisers in Arabic, with Arabic digits and the Arabic console link', async () => {
    const c = await createLiveCampaign(t, org.token, { locale: 'ar', title: 'أنقذوا الأهوار', summary: 'ملخص الحملة', body: 'نص الحملة', goal: 2000 });
    await setCount(c.id, 1010);
    expect(await notices.sweep()).toEqual({ recorded: 2, emails: 2 });
    const [mail] = await settle(org.email, 1);
    expect(mail.parsed.subject).toBe('بلغت «أنقذوا الأهوار» ٥٠٪\u061C من هدفها');
    expect(mail.parsed.text).toContain('التوقيعات المؤكَّدة: ١٬٠١٠، والهدف: ٢٬٠٠٠.');
    expect(mail.parsed.text).toContain(`/ar/console/campaigns/${c.id}`);
    expect(mail.parsed.html).toContain('dir="rtl"');
    // No English outside the links.
    expect((mail.parsed.text ?? '').replace(/https?:\/\/\S+/g, '').replace('Noor Organiser', '')).not.toMatch(/[A-Za-z]/);
  });

  it('tells an urgent action’s organisers once, less than 24 hours before its deadline', async () => {
    const soon = await createLiveCampaign(t, org.token, { kind: 'urgent_action', goal: null, endsAt: new Date(Date.now() + 30 * HOUR).toISOString() });
    const petition = await createLiveCampaign(t, org.token, { endsAt: new Date(Date.now() + 5 * HOUR).toISOString(), goal: null });
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });

    // Six hours later (the deadline moved closer): 24 hours away less a minute.
    await t.db.query(`UPDATE campaigns SET ends_at = now() + interval '23 hours 59 minutes' WHERE id = $1`, [soon.id]);
    expect(await notices.sweep()).toEqual({ recorded: 1, emails: 2 });
    const [mail] = await settle(org.email, 1);
    expect(mail.parsed.subject).toBe(`"${soon.title as string}" ends in less than 24 hours`);
    expect(mail.parsed.text).toContain('ends in about 24 hours:');
    expect(mail.parsed.text).toContain('(UTC)');
    expect(mail.parsed.text).toContain(`/en/console/campaigns/${soon.id}`);
    expect(mail.raw).toMatch(/X-Nida-Mail: organiser\.deadline-soon/);
    expect(smtp.to(disabled.email)).toHaveLength(0);
    expect(await recorded(petition.id)).toEqual([]);

    await t.db.query(`UPDATE campaigns SET ends_at = now() + interval '2 hours' WHERE id = $1`, [soon.id]);
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });
    // One already past its deadline is not told.
    const past = await createLiveCampaign(t, org.token, { kind: 'urgent_action', goal: null, endsAt: new Date(Date.now() + 30 * HOUR).toISOString() });
    await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [past.id]);
    expect(await notices.sweep()).toEqual({ recorded: 0, emails: 0 });
  });

  it('says the deadline’s hours in Arabic, with its plural', async () => {
    const c = await createLiveCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أفرجوا عن سليم',
      summary: 'ملخص',
      body: 'نص',
      goal: null,
      endsAt: new Date(Date.now() + 30 * HOUR).toISOString(),
    });
    await t.db.query(`UPDATE campaigns SET ends_at = now() + interval '1 hour 30 minutes' WHERE id = $1`, [c.id]);
    await notices.sweep();
    const [mail] = await settle(org.email, 1);
    expect(mail.parsed.subject).toBe('تنتهي «أفرجوا عن سليم» خلال أقل من ٢٤ ساعة');
    expect(mail.parsed.text).toContain('خلال ساعتين تقريباً');
  });

  it('records and emails a notice once when two workers sweep at the same moment', async () => {
    const c = await createLiveCampaign(t, org.token, { goal: 40 });
    await setCount(c.id, 40);
    const passes = await Promise.all([notices.sweep(), notices.sweep(), notices.sweep()]);
    expect(passes.reduce((n, p) => n + p.emails, 0)).toBe(2);
    await settle(org.email, 1);
    expect(smtp.to(org.email)).toHaveLength(1);
    expect(smtp.to(colleague.email)).toHaveLength(1);
    const [row] = await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE kind = 'organiser.milestone' AND payload->>'consoleUrl' LIKE $1`, [`%${c.id}`]);
    expect(row.n).toBe(2);
  });
});
