import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Readable } from 'node:stream';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { validateEnvironment } from '../../config/environment';
import type { LetterToSend } from './letter-send.repository';
import { LetterSendService } from './letter-send.service';

/** Sending one letter: the lease, what a failure means for the job, and what the official receives. */
describe('LetterSendService.send', () => {
  const env = validateEnvironment({
    NODE_ENV: 'test',
    SEND_LEASE_SECONDS: '10',
    MAIL_MAX_ATTEMPTS: '3',
    MAIL_FROM: 'Nida <letters@nida.test>',
  });
  const id = '00000000-0000-4000-8000-00000000000a';

  function letter(over: Partial<LetterToSend> = {}): LetterToSend {
    return {
      id,
      attempts: 1,
      campaign: {
        locale: 'en',
        title: 'Free the marshes',
        translations: {},
        subject: 'From {{supporter.name}}',
        body: 'Dear {{target.name}}, {{count}} of us ask you.',
        count: 12,
        timeZone: null,
      },
      translation: null,
      target: { id: 't1', name: 'The Minister', email: 'minister@gov.example.org', locale: 'en', timeZone: null },
      supporter: { name: 'Layla Hassan', email: 'layla@example.org', city: 'Basra', comment: null, replyConsent: false },
      digest: null,
      ...over,
    };
  }

  function service(claimed: LetterToSend | null, sendMail: jest.Mock = jest.fn(async () => ({})), link: string | null = null) {
    const letters = {
      claim: jest.fn(async () => claimed),
      renewLease: jest.fn(async () => undefined),
      markSent: jest.fn(async () => undefined),
      recordError: jest.fn(async () => undefined),
    };
    const digests = {
      compose: jest.fn(async () => ({
        summary: '2 new supporters since 27 November 2026; 12 in all.',
        attachment: { filename: 'supporters-2026-11-28.csv', contentType: 'text/csv; charset=utf-8', content: Readable.from(['x']) },
      })),
    };
    const answers = { link: jest.fn(async () => link) };
    const metrics = new MetricsService();
    const svc = new LetterSendService(letters as never, digests as never, answers as never, { sendMail } as never, env, metrics);
    return { svc, letters, digests, sendMail, answers, metrics };
  }

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const smtpError = (responseCode: number) => Object.assign(new Error('mailbox busy: minister@gov.example.org'), { responseCode, command: 'RCPT TO' });

  it('sends nothing when another sender holds the letter or it is no longer to be sent', async () => {
    const { svc, letters, sendMail } = service(null);
    await expect(svc.send(id)).resolves.toBe('skipped');
    expect(letters.claim).toHaveBeenCalledWith(id, 10);
    expect(sendMail).not.toHaveBeenCalled();
    expect(letters.markSent).not.toHaveBeenCalled();
  });

  it('records a temporary failure, gives the letter back to the job and throws an error the job retries', async () => {
    const { svc, letters } = service(letter({ attempts: 1 }), jest.fn().mockRejectedValue(smtpError(451)));
    const error: unknown = await svc.send(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe('SMTP 451 during RCPT TO');
    expect(letters.recordError).toHaveBeenCalledWith(id, 'SMTP 451 during RCPT TO', false);
    expect(letters.markSent).not.toHaveBeenCalled();
  });

  it('counts each attempt by its result in nida_letter_sends_total: sent, retried, failed', async () => {
    const sendMail = jest.fn(async () => ({}));
    const { svc, metrics } = service(letter({ attempts: 1 }), sendMail);
    await svc.send(id);
    sendMail.mockRejectedValueOnce(smtpError(451));
    await expect(svc.send(id)).rejects.toThrow('SMTP 451');
    sendMail.mockRejectedValueOnce(smtpError(550));
    await expect(svc.send(id)).rejects.toBeInstanceOf(UnrecoverableError);
    const counted = await metrics.registry.getSingleMetric('nida_letter_sends_total')!.get();
    expect(Object.fromEntries(counted.values.map((v) => [v.labels.result, v.value]))).toEqual({ sent: 1, retried: 1, failed: 1 });
  });

  it('fails the letter for good on a permanent refusal, never quoting the server (it may hold the address)', async () => {
    const { svc, letters } = service(letter({ attempts: 1 }), jest.fn().mockRejectedValue(smtpError(550)));
    await expect(svc.send(id)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(letters.recordError).toHaveBeenCalledWith(id, 'SMTP 550 during RCPT TO', true);
    expect(JSON.stringify(letters.recordError.mock.calls)).not.toContain('@');
  });

  it('fails the letter for good when a temporary failure hits its last attempt', async () => {
    const { svc, letters } = service(letter({ attempts: 3 }), jest.fn().mockRejectedValue(smtpError(451)));
    await expect(svc.send(id)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(letters.recordError).toHaveBeenCalledWith(id, 'SMTP 451 during RCPT TO', true);
  });

  it('fails a letter whose campaign has no letter text without sending it', async () => {
    const empty = letter();
    empty.campaign = { ...empty.campaign, subject: null, body: null };
    const { svc, letters, sendMail } = service(empty);
    await expect(svc.send(id)).rejects.toThrow(new UnrecoverableError('the campaign has no letter'));
    expect(sendMail).not.toHaveBeenCalled();
    expect(letters.recordError).toHaveBeenCalledWith(id, 'the campaign has no letter', true);
  });

  it('sends from the supporter via Nida, replies to them only with their consent, with its own Message-ID and bounce address, then marks it sent', async () => {
    const { svc, letters, sendMail } = service(letter());
    await expect(svc.send(id)).resolves.toBe('sent');
    const mail = sendMail.mock.calls[0][0];
    expect(mail).toMatchObject({
      from: { name: 'Layla Hassan via Nida', address: 'letters@nida.test' },
      to: { name: 'The Minister', address: 'minister@gov.example.org' },
      envelope: { from: `bounce+${id}@nida.test`, to: 'minister@gov.example.org' },
      subject: 'From Layla Hassan',
      messageId: `<letter-${id}@nida.test>`,
      attachments: [],
    });
    expect(mail.text).toBe('Dear The Minister, 12 of us ask you.');
    expect(mail.replyTo).toBeUndefined();
    expect(letters.markSent).toHaveBeenCalledWith(id, `<letter-${id}@nida.test>`);

    const consenting = letter({ supporter: { name: 'Layla\u202e Hassan\n', email: 'layla@example.org', city: null, comment: null, replyConsent: true } });
    const second = service(consenting);
    await second.svc.send(id);
    expect(second.sendMail.mock.calls[0][0]).toMatchObject({ replyTo: 'layla@example.org', from: { name: 'Layla Hassan via Nida' } });
  });

  it('writes in the target\'s language when the letter has a translation in it', async () => {
    const { svc, sendMail } = service(
      letter({
        target: { id: 't1', name: 'معالي الوزير', email: 'minister@gov.example.org', locale: 'ar', timeZone: null },
        translation: { subject: 'من {{supporter.name}}', body: 'نحن {{count}}' },
      }),
    );
    await svc.send(id);
    expect(sendMail.mock.calls[0][0]).toMatchObject({ subject: 'من Layla Hassan', text: 'نحن ١٢' });
  });

  it('adds a digest\'s paragraph and CSV, in the target\'s zone, from the platform\'s own address', async () => {
    const digest = { id: 'd1', campaignId: 'c', periodStart: new Date('2026-11-27T21:30:00Z'), periodEnd: new Date('2026-11-28T21:30:00Z'), supporters: 2 };
    const { svc, sendMail, digests } = service(
      letter({
        supporter: null,
        digest,
        target: { id: 't1', name: 'The Minister', email: 'minister@gov.example.org', locale: 'en', timeZone: 'Asia/Baghdad' },
      }),
    );
    await expect(svc.send(id)).resolves.toBe('sent');
    expect(digests.compose).toHaveBeenCalledWith(digest, 'en', 12, 'Asia/Baghdad');
    const mail = sendMail.mock.calls[0][0];
    expect(mail.from).toBe('Nida <letters@nida.test>');
    expect(mail.text).toBe('Dear The Minister, 12 of us ask you.\n\n2 new supporters since 27 November 2026; 12 in all.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].filename).toBe('supporters-2026-11-28.csv');
  });

  it('ends with the target\'s answer link, in the letter\'s language, a link in the HTML', async () => {
    const link = 'http://nida.test/ar/answer/abc_DEF-123';
    const { svc, sendMail, answers } = service(
      letter({
        target: { id: 't1', name: 'معالي الوزير', email: 'minister@gov.example.org', locale: 'ar', timeZone: null },
        translation: { subject: 'من {{supporter.name}}', body: 'نحن {{count}}' },
      }),
      undefined,
      link,
    );
    await svc.send(id);
    expect(answers.link).toHaveBeenCalledWith('t1', 'ar');
    const mail = sendMail.mock.calls[0][0];
    expect(mail.text).toBe(`نحن ١٢\n\n--\nيمكنكم الردّ على هذه الحملة من هنا، ولا يُنشر الردّ إلا بعد موافقة المنظّمين:\n${link}\n`);
    expect(mail.html).toContain(`<a href="${link}" dir="ltr">${link}</a></p>\n</body>`);
  });
});

/** Sending a batch job's letters: the claim decides, failures are per letter, sent letters are recorded a group at a time. */
describe('LetterSendService.sendBatch', () => {
  const env = validateEnvironment({
    NODE_ENV: 'test',
    SEND_LEASE_SECONDS: '10',
    MAIL_MAX_ATTEMPTS: '3',
    MAIL_BACKOFF_MS: '1000',
    MAIL_CONCURRENCY: '2',
    MAIL_FROM: 'Nida <letters@nida.test>',
  });
  const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  function letter(n: number, over: Partial<LetterToSend> = {}): LetterToSend {
    return {
      id: idOf(n),
      attempts: 1,
      campaign: { locale: 'en', title: 'Free the marshes', translations: {}, subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}.', count: 12, timeZone: null },
      translation: null,
      target: { id: `t${n % 2}`, name: 'The Minister', email: `minister${n % 2}@gov.example.org`, locale: 'en', timeZone: null },
      supporter: { name: `Supporter ${n}`, email: `s${n}@example.org`, city: null, comment: null, replyConsent: false },
      digest: null,
      ...over,
    };
  }

  function service(claimed: LetterToSend[], sendMail: jest.Mock = jest.fn(async () => ({})), gone: string[] = []) {
    const letters = {
      claimBatch: jest.fn(async () => ({ letters: claimed, gone })),
      renewBatch: jest.fn(async () => undefined),
      markSentBatch: jest.fn<Promise<void>, [string[], string]>(async () => undefined),
      recordBatchError: jest.fn<Promise<void>, [string, string, boolean, number]>(async () => undefined),
      markNotEnqueued: jest.fn(async () => undefined),
    };
    const answers = { link: jest.fn(async () => 'http://nida.test/en/answer/x') };
    const metrics = new MetricsService();
    const svc = new LetterSendService(letters as never, {} as never, answers as never, { sendMail } as never, env, metrics);
    const queue = { addBulk: jest.fn(async () => []), close: jest.fn(async () => undefined) };
    Object.assign(svc, { retryProducer: queue });
    return { svc, letters, sendMail, answers, metrics, queue };
  }

  const smtpError = (responseCode: number) => Object.assign(new Error('mailbox busy: minister@gov.example.org'), { responseCode, command: 'RCPT TO' });
  const sentIds = (letters: { markSentBatch: jest.Mock }) => letters.markSentBatch.mock.calls.flatMap((c: [string[], string]) => c[0]);
  const counted = async (metrics: MetricsService) =>
    Object.fromEntries((await metrics.registry.getSingleMetric('nida_letter_sends_total')!.get()).values.map((v) => [v.labels.result, v.value]));

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('claims the job\'s letters in one call and sends only those the claim gave, each once, recorded sent in groups', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => idOf(i + 1));
    const claimed = [1, 2, 3, 5, 8, 9, 10].map((n) => letter(n)); // the others: sent, cancelled or held by another sender
    const { svc, letters, sendMail, metrics } = service(claimed);
    await expect(svc.sendBatch(ids)).resolves.toEqual({ claimed: 7, sent: 7, failed: 0 });
    expect(letters.claimBatch).toHaveBeenCalledTimes(1);
    expect(letters.claimBatch).toHaveBeenCalledWith(ids, 10);
    expect(sendMail.mock.calls.map((c) => c[0].headers['X-Nida-Letter']).sort()).toEqual(claimed.map((l) => l.id).sort());
    expect(sendMail.mock.calls.map((c) => c[0].messageId).sort()).toEqual(claimed.map((l) => `<letter-${l.id}@nida.test>`).sort());
    expect(sentIds(letters).sort()).toEqual(claimed.map((l) => l.id).sort());
    expect(letters.markSentBatch.mock.calls.length).toBeLessThan(claimed.length);
    expect(letters.markSentBatch.mock.calls.every((c) => c[1] === 'nida.test')).toBe(true);
    expect(await counted(metrics)).toEqual({ sent: 7, retried: 0, failed: 0 });
  });

  it('sends nothing when the claim gives nothing', async () => {
    const { svc, sendMail, letters } = service([], undefined, [idOf(4)]);
    await expect(svc.sendBatch([idOf(4), idOf(5)])).resolves.toEqual({ claimed: 1, sent: 0, failed: 0 });
    expect(sendMail).not.toHaveBeenCalled();
    expect(letters.markSentBatch).not.toHaveBeenCalled();
  });

  it('keeps at most twice MAIL_CONCURRENCY letters in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const sendMail = jest.fn(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return {};
    });
    const { svc } = service(Array.from({ length: 20 }, (_, i) => letter(i + 1)), sendMail);
    await svc.sendBatch(Array.from({ length: 20 }, (_, i) => idOf(i + 1)));
    expect(most).toBe(4);
  });

  it('a temporary failure gives that letter back for a delayed retry job; a permanent one fails it; the others are sent', async () => {
    const sendMail = jest.fn(async (mail: { headers: Record<string, string> }) => {
      if (mail.headers['X-Nida-Letter'] === idOf(2)) throw smtpError(451);
      if (mail.headers['X-Nida-Letter'] === idOf(3)) throw smtpError(550);
      return {};
    });
    const { svc, letters, queue, metrics } = service([letter(1), letter(2, { attempts: 2 }), letter(3), letter(4)], sendMail);
    await expect(svc.sendBatch([1, 2, 3, 4].map(idOf))).resolves.toEqual({ claimed: 4, sent: 2, failed: 2 });
    expect(sentIds(letters).sort()).toEqual([idOf(1), idOf(4)]);
    expect(letters.recordBatchError).toHaveBeenCalledWith(idOf(3), 'SMTP 550 during RCPT TO', true, 0);
    const [retried] = letters.recordBatchError.mock.calls.filter((c) => c[0] === idOf(2));
    expect(retried.slice(0, 3)).toEqual([idOf(2), 'SMTP 451 during RCPT TO', false]);
    // MAIL_BACKOFF_MS doubled for the second attempt, with jitter: 1 to 2 s.
    expect(retried[3]).toBeGreaterThanOrEqual(1000);
    expect(retried[3]).toBeLessThanOrEqual(2000);
    expect(JSON.stringify(letters.recordBatchError.mock.calls)).not.toContain('@');
    expect(queue.addBulk).toHaveBeenCalledTimes(1);
    const [[[job]]] = queue.addBulk.mock.calls as unknown as [[{ name: string; data: { letterIds: string[] }; opts: { jobId: string; delay: number } }[]]];
    expect(job).toMatchObject({ name: 'letter.send-batch', data: { letterIds: [idOf(2)] }, opts: { delay: Math.round(retried[3]) } });
    expect(job.opts.jobId).toMatch(/^batch-[0-9a-f]{32}-retry2$/);
    expect(await counted(metrics)).toEqual({ sent: 2, retried: 1, failed: 1 });
  });

  it('fails a letter for good when a temporary failure hits its last attempt, and schedules no retry', async () => {
    const { svc, letters, queue } = service([letter(1, { attempts: 3 })], jest.fn().mockRejectedValue(smtpError(451)));
    await svc.sendBatch([idOf(1)]);
    expect(letters.recordBatchError).toHaveBeenCalledWith(idOf(1), 'SMTP 451 during RCPT TO', true, 0);
    expect(queue.addBulk).not.toHaveBeenCalled();
  });

  it('leaves a retry to the dispatcher when Redis is away (enqueued_at cleared)', async () => {
    const { svc, letters, queue } = service([letter(1)], jest.fn().mockRejectedValue(smtpError(421)));
    queue.addBulk.mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(svc.sendBatch([idOf(1)])).resolves.toMatchObject({ failed: 1 });
    expect(letters.markNotEnqueued).toHaveBeenCalledWith([idOf(1)]);
  });

  it('asks for each target\'s answer link once per batch and language, not once per letter', async () => {
    const { svc, answers, sendMail } = service(Array.from({ length: 10 }, (_, i) => letter(i + 1)));
    await svc.sendBatch(Array.from({ length: 10 }, (_, i) => idOf(i + 1)));
    expect(sendMail).toHaveBeenCalledTimes(10);
    expect(answers.link.mock.calls.sort()).toEqual([['t0', 'en'], ['t1', 'en']]);
    expect(sendMail.mock.calls.every((c) => c[0].text.endsWith('http://nida.test/en/answer/x\n'))).toBe(true);
  });

  it('renews the lease only of the letters it still holds, until the last is recorded', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const sendMail = jest.fn(async (mail: { headers: Record<string, string> }) => {
        if (mail.headers['X-Nida-Letter'] === idOf(2)) await held;
        return {};
      });
      const { svc, letters } = service([letter(1), letter(2)], sendMail);
      const done = svc.sendBatch([idOf(1), idOf(2)]);
      await jest.advanceTimersByTimeAsync(3400); // a third of the lease and then some: letter 1 recorded, letter 2 in flight
      expect(letters.renewBatch).toHaveBeenCalledWith([idOf(2)], 10);
      release();
      await jest.advanceTimersByTimeAsync(100);
      await done;
      const renewals = letters.renewBatch.mock.calls.length;
      await jest.advanceTimersByTimeAsync(10000);
      expect(letters.renewBatch.mock.calls.length).toBe(renewals);
    } finally {
      jest.useRealTimers();
    }
  });
});
