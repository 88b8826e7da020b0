import { UnrecoverableError } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { appSecret, validateEnvironment } from '../../config/environment';
import { tokenFromSeed } from '../../common/confirmation-token';
import { MetricsService } from '../../infra/metrics/metrics.service';
import type { MailRenderer } from '../../infra/mail/mail-renderer';
import type { MailTransport } from '../../infra/mail/mail-transport';
import { MailOutboxRepository, MailToSend } from './mail-outbox.repository';
import { MailOutboxService } from './mail-outbox.service';

// A Redis nobody listens on: these tests never enqueue, and the producer queue swallows errors.
const env = validateEnvironment({
  NODE_ENV: 'test',
  REDIS_URL: 'redis://127.0.0.1:1',
  SEND_LEASE_SECONDS: '10',
  MAIL_MAX_ATTEMPTS: '3',
  MAIL_FROM: 'Nida <no-reply@nida.example>',
  PUBLIC_URL: 'https://nida.example',
});
const row: MailToSend = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'signature.already-signed',
  attempts: 1,
  tokenSeed: null,
  signer: { email: 'layla@example.org', name: 'Layla', locale: 'en' },
  campaign: { slug: 'marshes', locale: 'en', title: 'Marshes', translations: {}, organisation: 'Coalition' },
};

type Rows = Pick<
  MailOutboxRepository,
  | 'claim'
  | 'claimBatch'
  | 'markSent'
  | 'markSentBatch'
  | 'recordError'
  | 'renewLease'
  | 'renewBatch'
  | 'markNotEnqueued'
  | 'insert'
  | 'insertForOrganiser'
  | 'confirmationCte'
>;

/** A jest mock typed as the method it fakes. */
function mockOf<F extends (...args: never[]) => unknown>(
  impl?: (...args: Parameters<F>) => ReturnType<F>,
): jest.Mock<ReturnType<F>, Parameters<F>> {
  return jest.fn(impl);
}

function service(claimed: MailToSend | null = row, batch: MailToSend[] = []) {
  const rows = {
    claim: mockOf<Rows['claim']>(async () => claimed),
    claimBatch: mockOf<Rows['claimBatch']>(async () => batch),
    markSent: mockOf<Rows['markSent']>(async () => undefined),
    markSentBatch: mockOf<Rows['markSentBatch']>(async () => undefined),
    recordError: mockOf<Rows['recordError']>(async () => undefined),
    renewLease: mockOf<Rows['renewLease']>(async () => undefined),
    renewBatch: mockOf<Rows['renewBatch']>(async () => undefined),
    markNotEnqueued: mockOf<Rows['markNotEnqueued']>(async () => undefined),
    insert: mockOf<Rows['insert']>(async () => 'o1'),
    insertForOrganiser: mockOf<Rows['insertForOrganiser']>(async () => 'o2'),
    confirmationCte: mockOf<Rows['confirmationCte']>(() => 'o AS (…)'),
  } satisfies Record<keyof Rows, jest.Mock>;
  const render = mockOf<MailRenderer['render']>(() => ({ subject: 's', text: 't', html: '<p>t</p>' }));
  const sendMail = jest.fn<Promise<object>, [Record<string, unknown>]>(async () => ({})); // sendMail is overloaded
  const metrics = new MetricsService();
  const svc = new MailOutboxService(
    rows as unknown as MailOutboxRepository,
    { render } as unknown as MailRenderer,
    { sendMail } as unknown as MailTransport,
    env,
    metrics,
  );
  return { svc, rows, render, sendMail, metrics };
}

/** An SMTP error as nodemailer reports it. */
const smtpError = (responseCode: number) => Object.assign(new Error('refused'), { responseCode, code: 'EENVELOPE' });

describe('MailOutboxService.send', () => {
  let svc: MailOutboxService | undefined;
  afterEach(async () => {
    await svc?.onModuleDestroy();
    svc = undefined;
  });

  it('retries marking the row sent in place when the database fails for a moment, and sends once', async () => {
    const f = service();
    svc = f.svc;
    f.rows.markSent.mockRejectedValueOnce(new Error('connection terminated'));
    await expect(f.svc.send(row.id)).resolves.toBe('sent');
    expect(f.sendMail).toHaveBeenCalledTimes(1);
    expect(f.rows.markSent).toHaveBeenCalledTimes(2);
    expect(f.rows.recordError).not.toHaveBeenCalled();
    expect(f.rows.claim).toHaveBeenCalledWith(row.id, 10);
  });

  it('sends nothing when the row cannot be claimed (sent, failed, or held by another sender)', async () => {
    const f = service(null);
    svc = f.svc;
    await expect(f.svc.send(row.id)).resolves.toBe('skipped');
    expect(f.sendMail).not.toHaveBeenCalled();
    expect(f.rows.markSent).not.toHaveBeenCalled();
  });

  it('sends to the signer with the row id as Message-ID, and marks the row sent with it', async () => {
    const f = service();
    svc = f.svc;
    await f.svc.send(row.id);
    expect(f.sendMail).toHaveBeenCalledWith(
      expect.objectContaining({
        from: 'Nida <no-reply@nida.example>',
        to: { name: 'Layla', address: 'layla@example.org' },
        messageId: `<${row.id}@nida.example>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Nida-Mail': 'signature.already-signed' },
      }),
    );
    expect(f.render).toHaveBeenCalledWith('already-signed', 'en', expect.objectContaining({ confirmUrl: '' }));
    expect(f.rows.markSent).toHaveBeenCalledWith(row.id, `<${row.id}@nida.example>`);
  });

  it('puts the token made from the row’s seed in a confirmation’s link, in the signer’s language', async () => {
    const seed = Buffer.alloc(32, 7);
    const f = service({ ...row, kind: 'signature.confirmation', tokenSeed: seed, signer: { ...row.signer, locale: 'ar' } });
    svc = f.svc;
    await f.svc.send(row.id);
    const token = tokenFromSeed(appSecret(env), seed);
    expect(f.render).toHaveBeenCalledWith(
      'confirmation',
      'ar',
      expect.objectContaining({ confirmUrl: `https://nida.example/confirm/${token}`, campaignUrl: 'https://nida.example/c/marshes' }),
    );
  });

  it('sends an organiser’s email to the organiser, rendered from its own data in its language', async () => {
    const payload = { campaign: { title: 'الأهوار' }, newSignatures: 250 };
    const f = service({
      id: row.id,
      kind: 'admin.trending-alert',
      attempts: 1,
      tokenSeed: null,
      organiser: { email: 'admin@nida.example', name: 'Admin' },
      locale: 'ar',
      payload,
    });
    svc = f.svc;
    await expect(f.svc.send(row.id)).resolves.toBe('sent');
    expect(f.render).toHaveBeenCalledWith('trending-alert', 'ar', { ...payload, organiser: { name: 'Admin' } });
    expect(f.sendMail).toHaveBeenCalledWith(
      expect.objectContaining({
        to: { name: 'Admin', address: 'admin@nida.example' },
        messageId: `<${row.id}@nida.example>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Nida-Mail': 'admin.trending-alert' },
      }),
    );
    expect(f.rows.markSent).toHaveBeenCalledWith(row.id, `<${row.id}@nida.example>`);
  });

  it('sends an erasure link to the address the supporter signed with, in the request’s language, the token made from the row’s seed', async () => {
    const seed = Buffer.alloc(32, 9);
    const f = service({
      id: row.id,
      kind: 'privacy.erasure-link',
      attempts: 1,
      tokenSeed: seed,
      supporter: { email: 'layla@example.org', name: 'ليلى' },
      locale: 'ar',
      report: [],
      optOuts: [],
    });
    svc = f.svc;
    await expect(f.svc.send(row.id)).resolves.toBe('sent');
    const token = tokenFromSeed(appSecret(env), seed);
    // PRIVACY_LINK_TTL_HOURS 72: said as three days.
    expect(f.render).toHaveBeenCalledWith('privacy-erasure-link', 'ar', {
      supporter: { name: 'ليلى' },
      eraseUrl: `https://nida.example/privacy/erase/${token}`,
      ttl: { days: 3, hours: 72 },
      privacyUrl: 'https://nida.example/ar/privacy',
    });
    expect(f.sendMail).toHaveBeenCalledWith(
      expect.objectContaining({ to: { name: 'ليلى', address: 'layla@example.org' }, headers: { 'Auto-Submitted': 'auto-generated', 'X-Nida-Mail': 'privacy.erasure-link' } }),
    );
  });

  it('writes an access report from the signatures the claim read, titles in the request’s language', async () => {
    const signedAt = new Date('2026-11-01T10:00:00Z');
    const f = service({
      id: row.id,
      kind: 'privacy.access-report',
      attempts: 1,
      tokenSeed: null,
      supporter: { email: 'layla@example.org', name: 'Layla' },
      locale: 'en',
      report: [
        {
          status: 'pending',
          signedAt,
          confirmedAt: null,
          name: 'Layla',
          country: 'IQ',
          city: null,
          comment: 'Water',
          showName: false,
          contactConsent: true,
          replyConsent: false,
          campaign: { slug: 'أين', locale: 'ar', title: 'أين سليم؟', translations: { en: { title: 'Where is Salim?', summary: '', body: '' } }, organisation: 'Coalition' },
        },
      ],
      optOuts: [
        { scope: 'campaign', campaign: { locale: 'ar', title: 'أين سليم؟', translations: { en: { title: 'Where is Salim?', summary: '', body: '' } } }, organisation: null, at: signedAt },
        { scope: 'organisation', campaign: null, organisation: 'Coalition', at: signedAt },
      ],
    });
    svc = f.svc;
    await f.svc.send(row.id);
    expect(f.render).toHaveBeenCalledWith(
      'privacy-access-report',
      'en',
      expect.objectContaining({
        total: 1,
        signatures: [
          expect.objectContaining({
            campaign: { title: 'Where is Salim?', organisation: 'Coalition' },
            campaignUrl: `https://nida.example/en/c/${encodeURIComponent('أين')}`,
            status: { pending: true, verified: false, held: false, invalidated: false },
            signedAt: signedAt.toISOString(),
            confirmedAt: null,
            comment: 'Water',
            contactConsent: true,
          }),
        ],
        optOuts: [
          { campaign: 'Where is Salim?', organisation: null, suppressed: false, at: signedAt.toISOString() },
          { campaign: null, organisation: 'Coalition', suppressed: false, at: signedAt.toISOString() },
        ],
        eraseUrl: 'https://nida.example/en/privacy/erase',
      }),
    );
  });

  it('marks a 5xx refusal failed at once and tells BullMQ not to retry', async () => {
    const f = service();
    svc = f.svc;
    f.sendMail.mockRejectedValue(smtpError(550));
    const sent = f.svc.send(row.id);
    await expect(sent).rejects.toBeInstanceOf(UnrecoverableError);
    expect(f.rows.recordError).toHaveBeenCalledWith(row.id, 'SMTP 550 EENVELOPE', true);
    expect(f.rows.markSent).not.toHaveBeenCalled();
  });

  it('gives a temporary failure back for a retry while attempts remain', async () => {
    const f = service({ ...row, attempts: 2 });
    svc = f.svc;
    f.sendMail.mockRejectedValue(smtpError(451));
    const sent = f.svc.send(row.id);
    await expect(sent).rejects.toThrow('SMTP 451 EENVELOPE');
    await expect(sent).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(f.rows.recordError).toHaveBeenCalledWith(row.id, 'SMTP 451 EENVELOPE', false);
  });

  it('records a row that cannot be rendered (a confirmation without its seed), as a refused one, and sends nothing', async () => {
    const f = service({ ...row, kind: 'signature.confirmation', tokenSeed: null } as MailToSend);
    svc = f.svc;
    await expect(f.svc.send(row.id)).rejects.toThrow();
    expect(f.rows.recordError).toHaveBeenCalledWith(row.id, expect.any(String), expect.any(Boolean));
    expect(f.sendMail).not.toHaveBeenCalled();
    expect(f.rows.markSent).not.toHaveBeenCalled();
  });

  it('marks a temporary failure failed on the last attempt (MAIL_MAX_ATTEMPTS)', async () => {
    const f = service({ ...row, attempts: 3 });
    svc = f.svc;
    f.sendMail.mockRejectedValue(smtpError(451));
    await expect(f.svc.send(row.id)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(f.rows.recordError).toHaveBeenCalledWith(row.id, 'SMTP 451 EENVELOPE', true);
  });
});

describe('MailOutboxService.send, counted', () => {
  it('counts each attempt by its result in nida_mail_sends_total: sent, retried, failed', async () => {
    const f = service({ ...row, attempts: 1 });
    await f.svc.send(row.id);
    f.sendMail.mockRejectedValueOnce(smtpError(451));
    await expect(f.svc.send(row.id)).rejects.toThrow('SMTP 451');
    f.sendMail.mockRejectedValueOnce(smtpError(550));
    await expect(f.svc.send(row.id)).rejects.toBeInstanceOf(UnrecoverableError);
    f.rows.claim.mockResolvedValueOnce(null); // held elsewhere: no attempt
    await f.svc.send(row.id);
    const counted = await f.metrics.registry.getSingleMetric('nida_mail_sends_total')!.get();
    expect(Object.fromEntries(counted.values.map((v) => [v.labels.result, v.value]))).toEqual({ sent: 1, retried: 1, failed: 1 });
    await f.svc.onModuleDestroy();
  });
});

/** A row of a batch: the i-th signer's email. */
const nth = (i: number): MailToSend => ({ ...row, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, signer: { ...(row as { signer: object }).signer, email: `s${i}@example.org` } } as MailToSend);

/** A producer queue that records what is added (and can be told to fail or to hold an add). */
function fakeQueue(svc: MailOutboxService) {
  const added: { name: string; data: { outboxIds: string[] }; opts: { jobId: string; delay?: number } }[][] = [];
  let hold: Promise<void> | null = null;
  let fail = false;
  const queue = {
    addBulk: jest.fn(async (jobs: (typeof added)[number]) => {
      added.push(jobs);
      if (hold) await hold;
      if (fail) throw Object.assign(new Error('Connection is closed.'), { name: 'Error' });
      return [];
    }),
    close: async () => undefined,
  };
  Object.assign(svc, { producer: queue });
  return {
    added,
    queue,
    holdNext(): () => void {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
    failAll(): void {
      fail = true;
    },
  };
}

describe('MailOutboxService.sendBatch', () => {
  it('claims the job’s rows with the lease, sends each with its own Message-ID and records them sent in one statement', async () => {
    const batch = [nth(1), nth(2), nth(3)];
    const f = service(null, batch);
    const ids = batch.map((m) => m.id);
    await expect(f.svc.sendBatch([...ids, nth(4).id])).resolves.toEqual({ claimed: 3, sent: 3, failed: 0 });
    expect(f.rows.claimBatch).toHaveBeenCalledWith([...ids, nth(4).id], 10);
    expect(f.sendMail.mock.calls.map(([m]) => [(m.to as { address: string }).address, m.messageId])).toEqual(
      batch.map((m, i) => [`s${i + 1}@example.org`, `<${m.id}@nida.example>`]),
    );
    expect(f.rows.markSentBatch).toHaveBeenCalledTimes(1);
    expect(f.rows.markSentBatch).toHaveBeenCalledWith(ids, 'nida.example');
    expect(f.rows.claim).not.toHaveBeenCalled();
    const counted = await f.metrics.registry.getSingleMetric('nida_mail_sends_total')!.get();
    expect(counted.values.find((v) => v.labels.result === 'sent')?.value).toBe(3);
  });

  it('sends nothing when it claimed nothing (every row sent, failed or held by another sender)', async () => {
    const f = service(null, []);
    await expect(f.svc.sendBatch([nth(1).id])).resolves.toEqual({ claimed: 0, sent: 0, failed: 0 });
    expect(f.sendMail).not.toHaveBeenCalled();
    expect(f.rows.markSentBatch).not.toHaveBeenCalled();
  });

  it('fails a refused row for good, gives a temporarily failed one back with a delayed retry job, and sends the rest', async () => {
    const batch = [nth(1), nth(2), nth(3)];
    const f = service(null, batch);
    const q = fakeQueue(f.svc);
    f.sendMail.mockImplementation(async (m) => {
      if (m.messageId === `<${nth(1).id}@nida.example>`) throw smtpError(550);
      if (m.messageId === `<${nth(2).id}@nida.example>`) throw smtpError(451);
      return {};
    });
    await expect(f.svc.sendBatch(batch.map((m) => m.id))).resolves.toEqual({ claimed: 3, sent: 1, failed: 2 });
    expect(f.rows.recordError).toHaveBeenCalledWith(nth(1).id, 'SMTP 550 EENVELOPE', true, 0);
    const retried = f.rows.recordError.mock.calls.find(([id]) => id === nth(2).id)!;
    expect(retried.slice(0, 3)).toEqual([nth(2).id, 'SMTP 451 EENVELOPE', false]);
    expect(retried[3]).toBeGreaterThan(0);
    expect(f.rows.markSentBatch).toHaveBeenCalledWith([nth(3).id], 'nida.example');
    // One delayed job carries the row to retry; its id says which attempt it retries.
    expect(q.added).toHaveLength(1);
    expect(q.added[0]).toHaveLength(1);
    expect(q.added[0][0].data.outboxIds).toEqual([nth(2).id]);
    expect(q.added[0][0].opts.delay).toBe(Math.round(retried[3]!));
    expect(q.added[0][0].opts.jobId).toMatch(/^batch-[0-9a-f]{32}-retry1$/);
  });

  it('fails a temporary failure for good on the last attempt, and a row that cannot be rendered at once', async () => {
    const confirmationWithoutSeed = { ...nth(2), kind: 'signature.confirmation', tokenSeed: null } as MailToSend;
    const f = service(null, [{ ...nth(1), attempts: 3 }, confirmationWithoutSeed]);
    const q = fakeQueue(f.svc);
    f.sendMail.mockRejectedValue(smtpError(451));
    await expect(f.svc.sendBatch([nth(1).id, nth(2).id])).resolves.toEqual({ claimed: 2, sent: 0, failed: 2 });
    expect(f.rows.recordError).toHaveBeenCalledWith(nth(1).id, 'SMTP 451 EENVELOPE', true, 0);
    expect(f.rows.recordError).toHaveBeenCalledWith(nth(2).id, 'confirmation without a token seed', true, 0);
    expect(f.sendMail).toHaveBeenCalledTimes(1);
    expect(q.added).toHaveLength(0);
  });

  it('leaves a retry to the relay when Redis is away (the row is marked not enqueued)', async () => {
    const f = service(null, [nth(1)]);
    const q = fakeQueue(f.svc);
    q.failAll();
    f.sendMail.mockRejectedValue(smtpError(421));
    await expect(f.svc.sendBatch([nth(1).id])).resolves.toEqual({ claimed: 1, sent: 0, failed: 1 });
    expect(f.rows.markNotEnqueued).toHaveBeenCalledWith([nth(1).id]);
  });
});

describe('MailOutboxService.enqueue', () => {
  it('adds the ids of one tick in one batch job, and those that come while an add is in flight together in the next', async () => {
    const f = service();
    const q = fakeQueue(f.svc);
    const release = q.holdNext();
    const first = [f.svc.enqueue([nth(1).id]), f.svc.enqueue([nth(2).id])];
    await new Promise((r) => setImmediate(r));
    expect(q.added).toHaveLength(1);
    // While that add is in flight, three more requests commit.
    const second = [f.svc.enqueue([nth(3).id]), f.svc.enqueue([nth(4).id, nth(5).id])];
    await new Promise((r) => setImmediate(r));
    expect(q.added).toHaveLength(1);
    let firstDone = false;
    void Promise.all(first).then(() => (firstDone = true));
    await new Promise((r) => setImmediate(r));
    expect(firstDone).toBe(false);
    release();
    await Promise.all([...first, ...second]);
    expect(q.added.map((jobs) => jobs.map((j) => j.data.outboxIds))).toEqual([
      [[nth(1).id, nth(2).id]],
      [[nth(3).id, nth(4).id, nth(5).id]],
    ]);
    expect(q.added.flat().every((j) => j.name === 'mail.send-batch')).toBe(true);
  });

  it('cuts many ids into jobs of at most 50, each id made of its rows (the same batch added twice is one job)', async () => {
    const f = service();
    const q = fakeQueue(f.svc);
    const ids = Array.from({ length: 120 }, (_, i) => nth(i + 1).id);
    await f.svc.enqueue(ids);
    await f.svc.enqueue(ids);
    expect(q.added[0].map((j) => j.data.outboxIds.length)).toEqual([50, 50, 20]);
    expect(q.added[0].map((j) => j.data.outboxIds).flat()).toEqual(ids);
    expect(q.added[1].map((j) => j.opts.jobId)).toEqual(q.added[0].map((j) => j.opts.jobId));
    expect(new Set(q.added[0].map((j) => j.opts.jobId)).size).toBe(3);
  });

  it('gives the ids to the relay when Redis is away, and never throws', async () => {
    const f = service();
    const q = fakeQueue(f.svc);
    q.failAll();
    await expect(f.svc.enqueue([nth(1).id, nth(2).id])).resolves.toBeUndefined();
    expect(f.rows.markNotEnqueued).toHaveBeenCalledWith([nth(1).id, nth(2).id]);
    // The next add is tried (not stuck behind the failed one).
    await expect(f.svc.enqueue([nth(3).id])).resolves.toBeUndefined();
    expect(q.added).toHaveLength(2);
  });
});

describe('MailOutboxService, for other modules', () => {
  it('adds an email in the caller’s transaction', async () => {
    const f = service();
    const m = {} as EntityManager;
    await expect(f.svc.add(m, { kind: 'signature.already-signed', signatureId: 's1' })).resolves.toBe('o1');
    expect(f.rows.insert).toHaveBeenCalledWith(m, { kind: 'signature.already-signed', signatureId: 's1' });
  });

  it('adds an organiser’s email in the caller’s transaction', async () => {
    const f = service();
    const m = {} as EntityManager;
    const mail = { kind: 'admin.trending-alert', toOrganiserId: 'g1', locale: 'en', payload: { n: 1 } } as const;
    await expect(f.svc.addForOrganiser(m, mail)).resolves.toBe('o2');
    expect(f.rows.insertForOrganiser).toHaveBeenCalledWith(m, mail);
  });

  it('gives the SQL that queues confirmations from its own repository', () => {
    const f = service();
    expect(f.svc.confirmationCte('o', 's')).toBe('o AS (…)');
    expect(f.rows.confirmationCte).toHaveBeenCalledWith('o', 's');
  });
});

describe('MailOutboxRepository.confirmationCte', () => {
  const repo = new MailOutboxRepository({} as never, {} as never);

  it('inserts one confirmation, marked enqueued, per row of the given CTE, with that row\'s seed', () => {
    const sql = repo.confirmationCte('o', 's').replace(/\s+/g, ' ');
    expect(sql).toBe(
      "o AS ( INSERT INTO mail_outbox (kind, signature_id, token_seed, enqueued_at) SELECT 'signature.confirmation', s.id, s.token_seed, now() FROM s RETURNING id, signature_id )",
    );
  });

  it('refuses anything but plain names', () => {
    expect(() => repo.confirmationCte('o; DROP TABLE x', 's')).toThrow();
    expect(() => repo.confirmationCte('o', 's) --')).toThrow();
    expect(() => repo.confirmationCte('o', 's.id')).toThrow();
  });
});

describe('MailOutboxRepository.privacyRequestCte', () => {
  const repo = new MailOutboxRepository({} as never, {} as never);

  it('inserts one email of the kind, marked enqueued, per row of the given CTE, with the given seed parameter', () => {
    const sql = repo.privacyRequestCte('o', 'r', 'privacy.erasure-link', '$7').replace(/\s+/g, ' ');
    expect(sql).toBe(
      "o AS ( INSERT INTO mail_outbox (kind, privacy_request_id, token_seed, enqueued_at) SELECT 'privacy.erasure-link', r.id, $7::bytea, now() FROM r RETURNING id )",
    );
  });

  it('refuses anything but plain names, a privacy kind and a positional parameter', () => {
    expect(() => repo.privacyRequestCte('o; DROP TABLE x', 'r', 'privacy.access-report', '$1')).toThrow();
    expect(() => repo.privacyRequestCte('o', 'r', 'signature.confirmation' as never, '$1')).toThrow();
    expect(() => repo.privacyRequestCte('o', 'r', 'privacy.access-report', "'x'")).toThrow();
  });
});
