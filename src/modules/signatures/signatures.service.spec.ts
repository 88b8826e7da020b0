import { BlindIndex } from '../../infra/crypto/blind-index';
import { MetricsService } from '../../infra/metrics/metrics.service';
import type { EntityManager } from 'typeorm';
import { BackgroundTasks } from '../../common/background-tasks';
import { tokenHash } from '../../common/confirmation-token';
import type { Principal } from '../../common/principal';
import { validateEnvironment } from '../../config/environment';
import type { AbuseService } from '../abuse/abuse.service';
import type { SignVerdict } from '../abuse/dto/sign-verdict.dto';
import type { CampaignState } from '../campaigns/dto/campaign-state.dto';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import type { MailOutboxService } from '../mail/mail-outbox.service';
import type { TallyService } from '../tally/tally.service';
import type { CreateSignatureDto } from './dto/create-signature.dto';
import type { TokenLookup } from './dto/token-lookup.dto';
import type { SignaturesRepository } from './signatures.repository';
import { SignaturesService } from './signatures.service';

/**
 * The signing chain's rules, with the repository and the other modules' services faked through
 * their interfaces: what each outcome calls, and that the signer's answer never differs.
 */
const env = validateEnvironment({ NODE_ENV: 'test', SIGNATURE_MAX_EMAILS: '5', CONFIRM_GRACE_HOURS: '24' });
const HOUR = 3_600_000;
const never = () => new Promise<never>(() => undefined);

type Rows = Pick<
  SignaturesRepository,
  | 'insertNew'
  | 'insertHeld'
  | 'transaction'
  | 'countEmailForExisting'
  | 'insertToken'
  | 'findByTokenHash'
  | 'verify'
  | 'countUncounted'
  | 'recentPublic'
  | 'lockByIds'
  | 'statusOf'
  | 'anonymise'
>;
type Campaigns = Pick<CampaignsService, 'stateBySlug' | 'owned'>;
type Mail = Pick<MailOutboxService, 'add' | 'enqueue' | 'deleteUnsentForSignatures'>;
type Tally = Pick<TallyService, 'recordVerified' | 'campaignTally'>;
type Letters = Pick<LetterDeliveriesService, 'createForSignature' | 'totalsByTarget' | 'cancelForSignatures'>;
type Abuse = Pick<AbuseService, 'judge'>;

/** A jest mock typed as the method it fakes (so a wrong call in a test does not compile). */
function mockOf<F extends (...args: never[]) => unknown>(
  impl?: (...args: Parameters<F>) => ReturnType<F>,
): jest.Mock<ReturnType<F>, Parameters<F>> {
  return jest.fn(impl);
}

/** The transaction's manager: every write that commits together must be handed this one. */
const tx = { transaction: 'the confirming or emailing one' } as unknown as EntityManager;

function fakes() {
  const rows = {
    insertNew: mockOf<Rows['insertNew']>(async () => ({ open: true, consentOk: true, campaignId: 'c1', outboxId: 'o1' })),
    insertHeld: mockOf<Rows['insertHeld']>(async () => ({ open: true, consentOk: true })),
    transaction: mockOf<(fn: (m: EntityManager) => Promise<unknown>) => Promise<unknown>>((fn) => fn(tx)),
    countEmailForExisting: mockOf<Rows['countEmailForExisting']>(async () => null),
    insertToken: mockOf<Rows['insertToken']>(async () => undefined),
    findByTokenHash: mockOf<Rows['findByTokenHash']>(async () => null),
    verify: mockOf<Rows['verify']>(async () => null),
    statusOf: mockOf<Rows['statusOf']>(async () => 'verified'),
    countUncounted: mockOf<Rows['countUncounted']>(async () => ({ pending: 0, held: 0, invalidated: 0 })),
    recentPublic: mockOf<Rows['recentPublic']>(async () => []),
    lockByIds: mockOf<Rows['lockByIds']>(async (_m, ids) => [...ids].sort()),
    anonymise: mockOf<Rows['anonymise']>(async (_m, ids) => ids.length),
  } satisfies Record<keyof Rows, jest.Mock>;
  const campaigns = {
    stateBySlug: mockOf<Campaigns['stateBySlug']>(async () => null),
    owned: mockOf<Campaigns['owned']>(),
  } satisfies Record<keyof Campaigns, jest.Mock>;
  let outboxIds = 1;
  const mail = {
    add: mockOf<Mail['add']>(async () => `o${++outboxIds}`),
    enqueue: mockOf<Mail['enqueue']>(async () => undefined),
    deleteUnsentForSignatures: mockOf<Mail['deleteUnsentForSignatures']>(async () => 1),
  } satisfies Record<keyof Mail, jest.Mock>;
  const tally = {
    recordVerified: mockOf<Tally['recordVerified']>(async () => undefined),
    campaignTally: mockOf<Tally['campaignTally']>(async () => ({ verified: 0, byCountry: [], byDay: [], milestones: [] })),
  } satisfies Record<keyof Tally, jest.Mock>;
  const letters = {
    createForSignature: mockOf<Letters['createForSignature']>(async () => 1),
    totalsByTarget: mockOf<Letters['totalsByTarget']>(async () => []),
    cancelForSignatures: mockOf<Letters['cancelForSignatures']>(async () => 2),
  } satisfies Record<keyof Letters, jest.Mock>;
  const abuse = {
    judge: mockOf<Abuse['judge']>(async (): Promise<SignVerdict> => ({ action: 'pass' })),
  } satisfies Record<keyof Abuse, jest.Mock>;
  const tasks = new BackgroundTasks();
  const metrics = new MetricsService();
  const svc = new SignaturesService(
    rows as unknown as SignaturesRepository,
    campaigns as unknown as CampaignsService,
    mail as unknown as MailOutboxService,
    tally as unknown as TallyService,
    letters as unknown as LetterDeliveriesService,
    abuse as unknown as AbuseService,
    env,
    tasks,
    new BlindIndex('unit-test-secret'),
    metrics,
  );
  return { svc, rows, campaigns, mail, tally, letters, abuse, tasks, metrics };
}

describe('SignaturesService.sign', () => {
  const dto = (): CreateSignatureDto => ({ name: 'Layla Hassan', email: 'Layla@Example.org', country: 'IQ' });

  it('a new signer: one statement with signature, token and outbox row, then the email is enqueued', async () => {
    const { svc, rows, mail, tasks } = fakes();
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    expect(rows.insertNew).toHaveBeenCalledTimes(1);
    const [slug, signature, token] = rows.insertNew.mock.calls[0];
    expect(slug).toBe('marshes');
    expect(signature).toMatchObject({ email: 'Layla@Example.org', emailHash: new BlindIndex('unit-test-secret').email('layla@example.org') });
    expect(signature.emailHash).not.toContain('layla');
    expect(signature.ipHash).not.toContain('203.0.113.1');
    expect(token.hash).toHaveLength(32);
    expect(token.seed).toHaveLength(32);
    await tasks.idle();
    expect(mail.enqueue).toHaveBeenCalledWith(['o1']);
    expect(rows.transaction).not.toHaveBeenCalled();
    expect(mail.add).not.toHaveBeenCalled();
  });

  it('answers a new signer without waiting for the queue', async () => {
    const { svc, mail } = fakes();
    mail.enqueue.mockImplementation(never);
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    expect(mail.enqueue).toHaveBeenCalledWith(['o1']);
  });

  it('a pending duplicate: a fresh token and a confirmation, in one transaction, enqueued after it', async () => {
    const { svc, rows, mail, tasks } = fakes();
    rows.insertNew.mockResolvedValue({ open: true, consentOk: true, campaignId: 'c1', outboxId: null });
    rows.countEmailForExisting.mockResolvedValue({ id: 's1', status: 'pending' });
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    await tasks.idle();
    expect(rows.countEmailForExisting).toHaveBeenCalledWith(tx, 'c1', new BlindIndex('unit-test-secret').email('layla@example.org'), 5);
    expect(rows.insertToken).toHaveBeenCalledWith(tx, 's1', expect.any(Buffer), expect.any(Date));
    const [hash] = rows.insertToken.mock.calls[0].slice(2);
    const added = mail.add.mock.calls[0];
    expect(added[0]).toBe(tx);
    expect(added[1]).toMatchObject({ kind: 'signature.confirmation', signatureId: 's1' });
    expect(added[1].tokenSeed).toHaveLength(32);
    expect(hash).not.toEqual(added[1].tokenSeed); // only the hash is stored, the seed goes to the email
    expect(mail.enqueue).toHaveBeenCalledWith(['o2']);
  });

  it('a verified duplicate: an "already signed" email, no token', async () => {
    const { svc, rows, mail, tasks } = fakes();
    rows.insertNew.mockResolvedValue({ open: true, consentOk: true, campaignId: 'c1', outboxId: null });
    rows.countEmailForExisting.mockResolvedValue({ id: 's1', status: 'verified' });
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    await tasks.idle();
    expect(rows.insertToken).not.toHaveBeenCalled();
    expect(mail.add).toHaveBeenCalledWith(tx, { kind: 'signature.already-signed', signatureId: 's1' });
    expect(mail.enqueue).toHaveBeenCalledWith(['o2']);
  });

  it('a duplicate over the email cap: nothing is written or sent', async () => {
    const { svc, rows, mail, tasks } = fakes();
    rows.insertNew.mockResolvedValue({ open: true, consentOk: true, campaignId: 'c1', outboxId: null });
    rows.countEmailForExisting.mockResolvedValue(null);
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    await tasks.idle();
    expect(rows.countEmailForExisting).toHaveBeenCalledTimes(1);
    expect(rows.insertToken).not.toHaveBeenCalled();
    expect(mail.add).not.toHaveBeenCalled();
    expect(mail.enqueue.mock.calls.flat(2)).toEqual([]);
  });

  it('answers a duplicate without waiting for its email work', async () => {
    const { svc, rows } = fakes();
    rows.insertNew.mockResolvedValue({ open: true, consentOk: true, campaignId: 'c1', outboxId: null });
    rows.transaction.mockImplementation(never);
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    expect(rows.transaction).toHaveBeenCalledTimes(1); // started, still running
  });

  it('a campaign that takes no signatures: 404 when unknown or a draft, 409 when closed; nothing sent', async () => {
    const cases: [CampaignState | null, string][] = [
      [null, 'CAMPAIGN_NOT_FOUND'],
      [{ id: 'c1', slug: 'marshes', status: 'draft', endsAt: null, closedAt: null }, 'CAMPAIGN_NOT_FOUND'],
      [{ id: 'c1', slug: 'marshes', status: 'closed', endsAt: null, closedAt: new Date() }, 'CAMPAIGN_CLOSED'],
      [{ id: 'c1', slug: 'marshes', status: 'live', endsAt: new Date(Date.now() - HOUR), closedAt: null }, 'CAMPAIGN_CLOSED'],
    ];
    for (const [state, code] of cases) {
      const { svc, rows, campaigns, mail, tasks } = fakes();
      rows.insertNew.mockResolvedValue({ open: false });
      campaigns.stateBySlug.mockResolvedValue(state);
      await expect(svc.sign('marshes', dto(), 'x')).rejects.toMatchObject({ code });
      expect(campaigns.stateBySlug).toHaveBeenCalledWith('marshes');
      await tasks.idle();
      expect(mail.enqueue).not.toHaveBeenCalled();
      expect(rows.transaction).not.toHaveBeenCalled();
    }
  });

  it('asks AbuseService with the client address and the email key before writing', async () => {
    const { svc, abuse, rows } = fakes();
    await svc.sign('marshes', dto(), '203.0.113.1');
    expect(abuse.judge).toHaveBeenCalledWith({ ip: '203.0.113.1', emailKey: 'layla@example.org' });
    expect(abuse.judge.mock.invocationCallOrder[0]).toBeLessThan(rows.insertNew.mock.invocationCallOrder[0]);
  });

  it('over a limit: stored as held with the reason, in one statement without token or outbox row; nothing mailed', async () => {
    const { svc, abuse, rows, mail, tasks } = fakes();
    abuse.judge.mockResolvedValue({ action: 'hold', reason: 'ip_burst' });
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    expect(rows.insertHeld).toHaveBeenCalledWith('marshes', expect.objectContaining({ emailHash: new BlindIndex('unit-test-secret').email('layla@example.org') }), 'ip_burst');
    expect(rows.insertHeld.mock.calls[0][1].ipHash).not.toContain('203.0.113.1');
    await tasks.idle();
    expect(rows.insertNew).not.toHaveBeenCalled();
    expect(rows.transaction).not.toHaveBeenCalled(); // not even a duplicate's email
    expect(mail.add).not.toHaveBeenCalled();
    expect(mail.enqueue).not.toHaveBeenCalled();
  });

  it("the page form's bot checks hold a signature whatever the limits say", async () => {
    for (const formHold of ['honeypot', 'too_fast'] as const) {
      const { svc, rows, mail, tasks } = fakes();
      await svc.sign('marshes', dto(), '203.0.113.1', { formHold });
      expect(rows.insertHeld).toHaveBeenCalledWith('marshes', expect.anything(), formHold);
      await tasks.idle();
      expect(rows.insertNew).not.toHaveBeenCalled();
      expect(mail.enqueue).not.toHaveBeenCalled();
    }
  });

  it('blocked: nothing written, nothing mailed, the same answer; a blocked form post is not even held', async () => {
    const { svc, abuse, rows, campaigns, mail, tasks } = fakes();
    abuse.judge.mockResolvedValue({ action: 'block' });
    campaigns.stateBySlug.mockResolvedValue({ id: 'c1', slug: 'marshes', status: 'live', endsAt: null, closedAt: null });
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).resolves.toBeUndefined();
    await expect(svc.sign('marshes', dto(), '203.0.113.1', { formHold: 'honeypot' })).resolves.toBeUndefined();
    await tasks.idle();
    expect(rows.insertNew).not.toHaveBeenCalled();
    expect(rows.insertHeld).not.toHaveBeenCalled();
    expect(rows.transaction).not.toHaveBeenCalled();
    expect(mail.enqueue).not.toHaveBeenCalled();
  });

  it('blocked or held at a campaign that takes no signatures: the same 404 or 409 as anyone', async () => {
    const closed: CampaignState = { id: 'c1', slug: 'marshes', status: 'closed', endsAt: null, closedAt: new Date() };
    const ended: CampaignState = { id: 'c1', slug: 'marshes', status: 'live', endsAt: new Date(Date.now() - HOUR), closedAt: null };
    for (const [verdict, state, code] of [
      [{ action: 'block' }, null, 'CAMPAIGN_NOT_FOUND'],
      [{ action: 'block' }, closed, 'CAMPAIGN_CLOSED'],
      [{ action: 'block' }, ended, 'CAMPAIGN_CLOSED'],
      [{ action: 'hold', reason: 'email_hour' }, closed, 'CAMPAIGN_CLOSED'],
    ] as [SignVerdict, CampaignState | null, string][]) {
      const { svc, abuse, rows, campaigns } = fakes();
      abuse.judge.mockResolvedValue(verdict);
      rows.insertHeld.mockResolvedValue({ open: false, consentOk: false });
      campaigns.stateBySlug.mockResolvedValue(state);
      await expect(svc.sign('marshes', dto(), '203.0.113.1')).rejects.toMatchObject({ code });
    }
  });

  it('a disposable address: the 400 from AbuseService, nothing written', async () => {
    const { svc, abuse, rows } = fakes();
    abuse.judge.mockRejectedValue(Object.assign(new Error('disposable'), { code: 'EMAIL_DISPOSABLE' }));
    await expect(svc.sign('marshes', dto(), '203.0.113.1')).rejects.toMatchObject({ code: 'EMAIL_DISPOSABLE' });
    expect(rows.insertNew).not.toHaveBeenCalled();
    expect(rows.insertHeld).not.toHaveBeenCalled();
  });

  it('refuses a name with a web address before writing anything', async () => {
    const { svc, rows } = fakes();
    await expect(svc.sign('marshes', { ...dto(), name: 'Visit www.spam.example.com' }, 'x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name', problems: ['name may not contain a web address'] }],
    });
    expect(rows.insertNew).not.toHaveBeenCalled();
  });
});

describe('SignaturesService.confirm', () => {
  const token = 'A'.repeat(43);
  function lookup(patch: Partial<TokenLookup> = {}, campaign: Partial<TokenLookup['campaign']> = {}): TokenLookup {
    return {
      tokenHash: tokenHash(token),
      expiresAt: new Date(Date.now() + HOUR),
      signatureId: 's1',
      signatureStatus: 'pending',
      signerLocale: 'ar',
      ...patch,
      campaign: {
        id: 'c1',
        slug: 'marshes',
        title: 'Save the marshes',
        locale: 'en',
        translations: {},
        status: 'live',
        endsAt: null,
        closedAt: null,
        ...campaign,
      },
    };
  }
  const answer = { status: 'verified', campaign: { slug: 'marshes', title: 'Save the marshes', locale: 'en' } };

  function nothingWritten(f: ReturnType<typeof fakes>) {
    expect(f.rows.transaction).not.toHaveBeenCalled();
    expect(f.tally.recordVerified).not.toHaveBeenCalled();
    expect(f.letters.createForSignature).not.toHaveBeenCalled();
  }

  it('verifies, and records the tally event and the letters in the same transaction', async () => {
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(lookup());
    f.rows.verify.mockResolvedValue({ campaignId: 'c1', country: 'IQ' });
    await expect(f.svc.confirm(token)).resolves.toEqual(answer);
    expect(f.rows.findByTokenHash).toHaveBeenCalledWith(tokenHash(token));
    expect(f.rows.transaction).toHaveBeenCalledTimes(1);
    expect(f.rows.verify).toHaveBeenCalledWith(tx, 's1');
    expect(f.tally.recordVerified).toHaveBeenCalledWith(tx, 'c1', 'IQ');
    expect(f.letters.createForSignature).toHaveBeenCalledWith(tx, 'c1', 's1');
  });

  it('gives the same answer, and counts nothing twice, when another confirmation won the race', async () => {
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(lookup());
    f.rows.verify.mockResolvedValue(null);
    await expect(f.svc.confirm(token)).resolves.toEqual(answer);
    expect(f.tally.recordVerified).not.toHaveBeenCalled();
    expect(f.letters.createForSignature).not.toHaveBeenCalled();
  });

  it('TOKEN_INVALID, counting nothing, for a signature invalidated before or while its link is opened', async () => {
    const before = fakes();
    before.rows.findByTokenHash.mockResolvedValue(lookup({ signatureStatus: 'invalidated' }));
    await expect(before.svc.confirm(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    nothingWritten(before);
    for (const now of ['invalidated', null] as const) {
      const racing = fakes();
      racing.rows.findByTokenHash.mockResolvedValue(lookup());
      racing.rows.verify.mockResolvedValue(null);
      racing.rows.statusOf.mockResolvedValue(now);
      await expect(racing.svc.confirm(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
      expect(racing.tally.recordVerified).not.toHaveBeenCalled();
    }
  });

  it('gives the same answer for a signature already verified, writing nothing', async () => {
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(lookup({ signatureStatus: 'verified' }, { status: 'closed', closedAt: new Date(0) }));
    await expect(f.svc.confirm(token)).resolves.toEqual(answer);
    nothingWritten(f);
  });

  it('TOKEN_INVALID for a malformed token, without a lookup', async () => {
    const f = fakes();
    for (const bad of ['short', 'A'.repeat(44), 42, null, `${'A'.repeat(42)}=`]) {
      await expect(f.svc.confirm(bad)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
    expect(f.rows.findByTokenHash).not.toHaveBeenCalled();
    nothingWritten(f);
  });

  it('TOKEN_INVALID for an unknown or expired token', async () => {
    const unknown = fakes();
    await expect(unknown.svc.confirm(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    nothingWritten(unknown);
    const expired = fakes();
    expired.rows.findByTokenHash.mockResolvedValue(lookup({ expiresAt: new Date(Date.now() - 1) }));
    await expect(expired.svc.confirm(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    nothingWritten(expired);
  });

  it('TOKEN_INVALID when the stored hash differs', async () => {
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(lookup({ tokenHash: tokenHash('B'.repeat(43)) }));
    await expect(f.svc.confirm(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    nothingWritten(f);
  });

  it('CAMPAIGN_CLOSED once the grace period after closing has passed', async () => {
    const closedLongAgo = fakes();
    closedLongAgo.rows.findByTokenHash.mockResolvedValue(lookup({}, { status: 'closed', closedAt: new Date(Date.now() - 25 * HOUR) }));
    await expect(closedLongAgo.svc.confirm(token)).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
    nothingWritten(closedLongAgo);

    const pastDeadline = fakes();
    pastDeadline.rows.findByTokenHash.mockResolvedValue(lookup({}, { endsAt: new Date(Date.now() - 25 * HOUR) }));
    await expect(pastDeadline.svc.confirm(token)).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
    nothingWritten(pastDeadline);
  });

  it('still confirms within the grace period after closing', async () => {
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(lookup({}, { status: 'closed', closedAt: new Date(Date.now() - 23 * HOUR) }));
    f.rows.verify.mockResolvedValue({ campaignId: 'c1', country: 'IQ' });
    await expect(f.svc.confirm(token)).resolves.toEqual(answer);
    expect(f.tally.recordVerified).toHaveBeenCalledWith(tx, 'c1', 'IQ');
  });
});

/** The signature outcome counters and the confirmation counter, as a scrape would read them. */
async function counted(metrics: MetricsService): Promise<Record<string, number>> {
  const outcomes = await metrics.registry.getSingleMetric('nida_signatures_total')!.get();
  const confirmations = await metrics.registry.getSingleMetric('nida_signature_confirmations_total')!.get();
  return {
    ...Object.fromEntries(outcomes.values.map((v) => [String(v.labels.outcome), v.value])),
    confirmed: confirmations.values[0]?.value ?? 0,
  };
}

describe('SignaturesService metrics', () => {
  const dto = (): CreateSignatureDto => ({ name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' });
  const none = { pending: 0, duplicate: 0, held: 0, blocked: 0, confirmed: 0 };
  const live: CampaignState = { id: 'c1', slug: 'marshes', status: 'live', endsAt: null, closedAt: null };

  it('counts each signing by its outcome: pending, duplicate, held, blocked', async () => {
    const f = fakes();
    await f.svc.sign('marshes', dto(), 'x');
    f.rows.insertNew.mockResolvedValue({ open: true, consentOk: true, campaignId: 'c1', outboxId: null });
    await f.svc.sign('marshes', dto(), 'x');
    await f.svc.sign('marshes', dto(), 'x');
    f.abuse.judge.mockResolvedValue({ action: 'hold', reason: 'ip_burst' });
    await f.svc.sign('marshes', dto(), 'x');
    f.abuse.judge.mockResolvedValue({ action: 'block' });
    f.campaigns.stateBySlug.mockResolvedValue(live);
    await f.svc.sign('marshes', dto(), 'x');
    await f.tasks.idle();
    expect(await counted(f.metrics)).toEqual({ ...none, pending: 1, duplicate: 2, held: 1, blocked: 1 });
  });

  it('counts nothing for a signing refused (closed campaign, blocked or held there too, bad text)', async () => {
    const f = fakes();
    f.rows.insertNew.mockResolvedValue({ open: false });
    f.rows.insertHeld.mockResolvedValue({ open: false, consentOk: false });
    f.campaigns.stateBySlug.mockResolvedValue({ ...live, status: 'closed', closedAt: new Date() });
    await expect(f.svc.sign('marshes', dto(), 'x')).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
    f.abuse.judge.mockResolvedValue({ action: 'hold', reason: 'ip_burst' });
    await expect(f.svc.sign('marshes', dto(), 'x')).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
    f.abuse.judge.mockResolvedValue({ action: 'block' });
    await expect(f.svc.sign('marshes', dto(), 'x')).rejects.toMatchObject({ code: 'CAMPAIGN_CLOSED' });
    await expect(f.svc.sign('marshes', { ...dto(), name: 'www.spam.example.com' }, 'x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await counted(f.metrics)).toEqual(none);
  });

  it('counts a confirmation once, when the signature became verified, never for a repeat or a lost race', async () => {
    const token = 'A'.repeat(43);
    const found = (signatureStatus: TokenLookup['signatureStatus']): TokenLookup => ({
      tokenHash: tokenHash(token),
      expiresAt: new Date(Date.now() + HOUR),
      signatureId: 's1',
      signatureStatus,
      signerLocale: 'ar',
      campaign: { id: 'c1', slug: 'marshes', title: 'Save the marshes', locale: 'en', translations: {}, status: 'live', endsAt: null, closedAt: null },
    });
    const f = fakes();
    f.rows.findByTokenHash.mockResolvedValue(found('pending'));
    f.rows.verify.mockResolvedValueOnce({ campaignId: 'c1', country: 'IQ' });
    await f.svc.confirm(token);
    f.rows.verify.mockResolvedValueOnce(null); // another confirmation won the race
    await f.svc.confirm(token);
    f.rows.findByTokenHash.mockResolvedValue(found('verified'));
    await f.svc.confirm(token);
    expect(await counted(f.metrics)).toEqual({ ...none, confirmed: 1 });
  });
});

describe('SignaturesService.stats', () => {
  it('reads the counters from the tally, pending from signatures and letters from letters, for an owned campaign', async () => {
    const f = fakes();
    const principal = { organiserId: 'u1' } as unknown as Principal;
    f.campaigns.owned.mockResolvedValue({ id: 'c1' } as Awaited<ReturnType<CampaignsService['owned']>>);
    f.tally.campaignTally.mockResolvedValue({
      verified: 7,
      byCountry: [{ country: 'IQ', verified: 7 }],
      byDay: [{ day: '2026-05-01', verified: 7 }],
      milestones: [],
    });
    f.rows.countUncounted.mockResolvedValue({ pending: 2, held: 3, invalidated: 4 });
    await expect(f.svc.stats(principal, 'c1')).resolves.toEqual({
      verified: 7,
      pending: 2,
      held: 3,
      invalidated: 4,
      byCountry: [{ country: 'IQ', verified: 7 }],
      byDay: [{ day: '2026-05-01', verified: 7 }],
      milestones: [],
      letters: [],
    });
    expect(f.campaigns.owned).toHaveBeenCalledWith(principal, 'c1', 'view');
  });

  it('reads nothing for a campaign the caller may not act for', async () => {
    const f = fakes();
    f.campaigns.owned.mockRejectedValue(Object.assign(new Error('forbidden'), { code: 'CAMPAIGN_FORBIDDEN' }));
    await expect(f.svc.stats({} as Principal, 'c1')).rejects.toMatchObject({ code: 'CAMPAIGN_FORBIDDEN' });
    expect(f.tally.campaignTally).not.toHaveBeenCalled();
    expect(f.rows.countUncounted).not.toHaveBeenCalled();
  });
});

describe('SignaturesService.anonymise', () => {
  it('locks the signatures, then anonymises them, deletes their unsent emails and cancels their letters, all in the caller\'s transaction', async () => {
    const f = fakes();
    f.rows.lockByIds.mockResolvedValue(['s1', 's2']);
    await expect(f.svc.anonymise(tx, ['s2', 's1', 's2', 's3'])).resolves.toEqual({ signatures: 2, lettersCancelled: 2, emailsDeleted: 1 });
    expect(f.rows.lockByIds).toHaveBeenCalledWith(tx, ['s2', 's1', 's3']);
    // Only what was found and locked is changed.
    expect(f.rows.anonymise).toHaveBeenCalledWith(tx, ['s1', 's2']);
    expect(f.mail.deleteUnsentForSignatures).toHaveBeenCalledWith(tx, ['s1', 's2']);
    expect(f.letters.cancelForSignatures).toHaveBeenCalledWith(tx, ['s1', 's2'], expect.stringContaining('anonymised'));
    const order = (m: jest.Mock) => m.mock.invocationCallOrder[0];
    expect(order(f.rows.lockByIds)).toBeLessThan(order(f.rows.anonymise));
    expect(f.rows.transaction).not.toHaveBeenCalled();
    expect(f.tally.recordVerified).not.toHaveBeenCalled();
  });

  it('does nothing for no ids, or ids that no longer exist', async () => {
    const f = fakes();
    await expect(f.svc.anonymise(tx, [])).resolves.toEqual({ signatures: 0, lettersCancelled: 0, emailsDeleted: 0 });
    expect(f.rows.lockByIds).not.toHaveBeenCalled();
    f.rows.lockByIds.mockResolvedValue([]);
    await expect(f.svc.anonymise(tx, ['gone'])).resolves.toEqual({ signatures: 0, lettersCancelled: 0, emailsDeleted: 0 });
    expect(f.rows.anonymise).not.toHaveBeenCalled();
    expect(f.mail.deleteUnsentForSignatures).not.toHaveBeenCalled();
    expect(f.letters.cancelForSignatures).not.toHaveBeenCalled();
  });
});
