import type { EntityManager } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import type { MailOutboxService } from '../mail/mail-outbox.service';
import type { OrganisationsService } from '../organisations/organisations.service';
import type { SourceCount, TrendingRepository } from './trending.repository';
import type { TrendingAlertsRepository } from './trending-alerts.repository';
import { TrendingAlertService } from './trending-alert.service';

/**
 * The alert rule, with the repositories and the other modules' services faked through their
 * interfaces: which windows are counted, what is recorded, who is emailed what, and when nothing is.
 */
const env = validateEnvironment({
  NODE_ENV: 'test',
  TRENDING_INTERVAL_MINUTES: '60',
  TRENDING_ALERT_THRESHOLD: '200',
  PUBLIC_URL: 'https://nida.example',
});
/** 10:40 UTC: the window under way started at 10:00, the one before at 09:00. */
const NOW = new Date('2026-03-01T10:40:00.000Z');

type Counts = Pick<TrendingRepository, 'sourceCounts'>;
type Alerts = Pick<TrendingAlertsRepository, 'transaction' | 'tryLock' | 'recordNew'>;
type Organisations = Pick<OrganisationsService, 'adminRecipients'>;
type Mail = Pick<MailOutboxService, 'addForOrganiser' | 'enqueue'>;

function mockOf<F extends (...args: never[]) => unknown>(
  impl?: (...args: Parameters<F>) => ReturnType<F>,
): jest.Mock<ReturnType<F>, Parameters<F>> {
  return jest.fn(impl);
}

/** The alerting transaction's manager: the alert rows and the emails must be written with this one. */
const tx = { transaction: 'the alerting one' } as unknown as EntityManager;

const counted = (over: Partial<SourceCount> = {}): SourceCount => ({
  campaignId: 'c1',
  campaign: { slug: 'marshes', title: 'الأهوار', locale: 'ar' },
  windowStart: new Date('2026-03-01T10:00:00.000Z'),
  sourceType: 'domain',
  source: 'example.org',
  count: 250,
  total: 400,
  ...over,
});

function fakes(found: SourceCount[] = [counted()]) {
  const counts = { sourceCounts: mockOf<Counts['sourceCounts']>(async () => found) } satisfies Record<keyof Counts, jest.Mock>;
  const alerts = {
    transaction: jest.fn((fn: (m: EntityManager) => Promise<unknown>) => fn(tx)),
    tryLock: mockOf<Alerts['tryLock']>(async () => true),
    // Everything is new unless a test says otherwise.
    recordNew: jest.fn(async <T>(_m: EntityManager, a: T[]) => a),
  } satisfies Record<keyof Alerts, jest.Mock>;
  const organisations = {
    adminRecipients: mockOf<Organisations['adminRecipients']>(async () => [{ id: 'admin-1' }, { id: 'admin-2' }]),
  } satisfies Record<keyof Organisations, jest.Mock>;
  let n = 0;
  const mail = {
    addForOrganiser: mockOf<Mail['addForOrganiser']>(async () => `o${++n}`),
    enqueue: mockOf<Mail['enqueue']>(async () => undefined),
  } satisfies Record<keyof Mail, jest.Mock>;
  const svc = new TrendingAlertService(
    counts as unknown as TrendingRepository,
    alerts as unknown as TrendingAlertsRepository,
    organisations as unknown as OrganisationsService,
    mail as unknown as MailOutboxService,
    env.trending,
    env.http,
  );
  return { svc, counts, alerts, organisations, mail };
}

describe('TrendingAlertService.alertPass', () => {
  it('counts the window under way and the one before, in hour windows from the epoch, for sources past the threshold', async () => {
    const f = fakes([]);
    await expect(f.svc.alertPass(NOW)).resolves.toBe(0);
    expect(f.counts.sourceCounts).toHaveBeenCalledWith(
      {
        from: new Date('2026-03-01T09:00:00.000Z'),
        to: NOW,
        origin: new Date(0),
        windowSeconds: 3600,
        top: null,
        above: 200,
      },
      tx,
    );
    expect(f.alerts.recordNew).toHaveBeenCalledWith(tx, []);
    expect(f.mail.addForOrganiser).not.toHaveBeenCalled();
  });

  it('records each source past the threshold once per window, and emails every admin about it, in the same transaction, enqueued after it', async () => {
    const f = fakes([counted(), counted({ sourceType: 'ip', source: 'c0ffee', count: 300 })]);
    await expect(f.svc.alertPass(NOW)).resolves.toBe(2);
    expect(f.alerts.tryLock).toHaveBeenCalledWith(tx);
    expect(f.alerts.recordNew.mock.calls[0][1]).toEqual([
      expect.objectContaining({
        campaignId: 'c1',
        sourceType: 'domain',
        source: 'example.org',
        windowStart: new Date('2026-03-01T10:00:00.000Z'),
        windowEnd: new Date('2026-03-01T11:00:00.000Z'),
        newSignatures: 250,
      }),
      expect.objectContaining({ sourceType: 'ip', source: 'c0ffee', newSignatures: 300 }),
    ]);
    expect(f.mail.addForOrganiser.mock.calls.map(([m, mail]) => [m, mail.toOrganiserId, mail.kind, mail.locale])).toEqual([
      [tx, 'admin-1', 'admin.trending-alert', 'ar'],
      [tx, 'admin-2', 'admin.trending-alert', 'ar'],
      [tx, 'admin-1', 'admin.trending-alert', 'ar'],
      [tx, 'admin-2', 'admin.trending-alert', 'ar'],
    ]);
    expect(f.mail.enqueue).toHaveBeenCalledWith(['o1', 'o2', 'o3', 'o4']);
    expect(f.alerts.transaction.mock.invocationCallOrder[0]).toBeLessThan(f.mail.enqueue.mock.invocationCallOrder[0]);
  });

  it('tells the count, its share, the window (up to now while it runs) and the threshold; never an email or a name', async () => {
    const f = fakes();
    await f.svc.alertPass(NOW);
    const { payload } = f.mail.addForOrganiser.mock.calls[0][1];
    expect(payload).toEqual({
      campaign: { title: 'الأهوار' },
      campaignUrl: 'https://nida.example/c/marshes',
      source: { value: 'example.org', isIp: false, isDomain: true, isCountry: false },
      newSignatures: 250,
      total: 400,
      share: 0.625,
      window: { start: '2026-03-01T10:00:00.000Z', end: NOW.toISOString() },
      threshold: 200,
    });
  });

  it('gives a window that has ended its own end', async () => {
    const f = fakes([counted({ windowStart: new Date('2026-03-01T09:00:00.000Z') })]);
    await f.svc.alertPass(NOW);
    expect(f.mail.addForOrganiser.mock.calls[0][1].payload.window).toEqual({ start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T10:00:00.000Z' });
  });

  it('emails nothing about a source already alerted for that window', async () => {
    const f = fakes();
    f.alerts.recordNew.mockImplementation(async () => []);
    await expect(f.svc.alertPass(NOW)).resolves.toBe(0);
    expect(f.organisations.adminRecipients).not.toHaveBeenCalled();
    expect(f.mail.addForOrganiser).not.toHaveBeenCalled();
    expect(f.mail.enqueue).toHaveBeenCalledWith([]);
  });

  it('does nothing while another worker alerts (the lock is taken)', async () => {
    const f = fakes();
    f.alerts.tryLock.mockResolvedValue(false);
    await expect(f.svc.alertPass(NOW)).resolves.toBe(0);
    expect(f.counts.sourceCounts).not.toHaveBeenCalled();
    expect(f.alerts.recordNew).not.toHaveBeenCalled();
    expect(f.mail.addForOrganiser).not.toHaveBeenCalled();
  });

  it('uses TRENDING_INTERVAL_MINUTES for the windows and TRENDING_ALERT_THRESHOLD for the rule', async () => {
    const f = fakes([]);
    env.trending.TRENDING_INTERVAL_MINUTES = 15;
    env.trending.TRENDING_ALERT_THRESHOLD = 50;
    try {
      await f.svc.alertPass(NOW);
    } finally {
      env.trending.TRENDING_INTERVAL_MINUTES = 60;
      env.trending.TRENDING_ALERT_THRESHOLD = 200;
    }
    expect(f.counts.sourceCounts.mock.calls[0][0]).toMatchObject({
      from: new Date(NOW.getTime() - 25 * 60_000), // 10:15: the window before the one under way (10:30–10:45)
      windowSeconds: 900,
      above: 50,
    });
  });
});
