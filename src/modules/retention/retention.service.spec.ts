import { validateEnvironment } from '../../config/environment';
import type { AuditService } from '../audit/audit.service';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { MailOutboxService } from '../mail/mail-outbox.service';
import type { RetentionBatch } from '../signatures/dto/retention-batch.dto';
import type { SignaturesService } from '../signatures/signatures.service';
import type { UpdatesService } from '../updates/updates.service';
import { describeRetention } from './retention-report';
import { RetentionService, walk } from './retention.service';

/**
 * The retention rules' driving, with the other modules' services faked through their interfaces:
 * which settings go to which selection, that a dry run only counts, and that every rule runs in
 * batches until one comes back short (the selections themselves are SQL: test/e2e/retention).
 */
type Signatures = Pick<SignaturesService, 'countStaleUnconfirmed' | 'deleteStaleUnconfirmed' | 'countToAnonymise' | 'anonymiseCampaignBatch'>;
type Mail = Pick<MailOutboxService, 'countFinished' | 'purgeFinished'>;
type Campaigns = Pick<CampaignsService, 'dueForAnonymisation' | 'markSupportersAnonymised'>;

const env = validateEnvironment({
  NODE_ENV: 'test',
  PENDING_RETENTION_DAYS: '30',
  MAIL_RETENTION_DAYS: '14',
  SIGNATURE_RETENTION_DAYS_AFTER_CLOSE: '180',
  RETENTION_BATCH_SIZE: '2',
  UPDATE_DELIVERY_RETENTION_DAYS: '21',
});

/** A batch of `seen` rows ending at id `last`, of which `changed` were changed. */
const batch = (seen: number, last: string | null, changed = seen, lettersCancelled = 0): RetentionBatch => ({ seen, last, changed, lettersCancelled });

function fakes() {
  const signatures = {
    countStaleUnconfirmed: jest.fn<Promise<number>, [number]>(async () => 3),
    deleteStaleUnconfirmed: jest.fn<Promise<RetentionBatch>, [number, string | null, number]>(),
    countToAnonymise: jest.fn<Promise<number>, [string[]]>(async () => 5),
    anonymiseCampaignBatch: jest.fn<Promise<RetentionBatch | null>, [string, number, string | null, number]>(),
  } satisfies Record<keyof Signatures, jest.Mock>;
  const mail = {
    countFinished: jest.fn<Promise<number>, [number]>(async () => 7),
    purgeFinished: jest.fn<Promise<number>, [number, number]>(),
  } satisfies Record<keyof Mail, jest.Mock>;
  const campaigns = {
    dueForAnonymisation: jest.fn<Promise<string[]>, [number]>(async () => ['c1', 'c2']),
    markSupportersAnonymised: jest.fn<Promise<boolean>, [string, number]>(async () => true),
  } satisfies Record<keyof Campaigns, jest.Mock>;
  const updates = {
    countFinishedDeliveries: jest.fn<Promise<number>, [number]>(async () => 11),
    purgeFinishedDeliveries: jest.fn<Promise<{ updates: number; deliveries: number }>, [number, number]>(async () => ({ updates: 2, deliveries: 9 })),
  };
  const audit = { record: jest.fn<ReturnType<AuditService['record']>, Parameters<AuditService['record']>>(async () => undefined) };
  const svc = new RetentionService(
    signatures as unknown as SignaturesService,
    mail as unknown as MailOutboxService,
    campaigns as unknown as CampaignsService,
    audit as unknown as AuditService,
    env.privacy,
    updates as unknown as UpdatesService,
  );
  return { svc, signatures, mail, campaigns, audit, updates };
}

describe('RetentionService.run', () => {
  it('a dry run counts each rule with its setting and changes nothing', async () => {
    const f = fakes();
    await expect(f.svc.run({ dryRun: true })).resolves.toEqual({
      dryRun: true,
      pendingRetentionDays: 30,
      mailRetentionDays: 14,
      signatureRetentionDaysAfterClose: 180,
      updateDeliveryRetentionDays: 21,
      unconfirmedDeleted: 3,
      emailsPurged: 7,
      campaignsAnonymised: 2,
      signaturesAnonymised: 5,
      lettersCancelled: null,
      updateDeliveriesPurged: 11,
    });
    expect(f.updates.countFinishedDeliveries).toHaveBeenCalledWith(21);
    expect(f.signatures.countStaleUnconfirmed).toHaveBeenCalledWith(30);
    expect(f.mail.countFinished).toHaveBeenCalledWith(14);
    expect(f.campaigns.dueForAnonymisation).toHaveBeenCalledWith(180);
    expect(f.signatures.countToAnonymise).toHaveBeenCalledWith(['c1', 'c2']);
    for (const write of [f.signatures.deleteStaleUnconfirmed, f.signatures.anonymiseCampaignBatch, f.mail.purgeFinished, f.campaigns.markSupportersAnonymised, f.audit.record, f.updates.purgeFinishedDeliveries]) {
      expect(write).not.toHaveBeenCalled();
    }
  });

  it('a real run goes through every rule in batches of RETENTION_BATCH_SIZE, each after the last id of the one before', async () => {
    const f = fakes();
    f.signatures.deleteStaleUnconfirmed.mockResolvedValueOnce(batch(2, 'p2')).mockResolvedValueOnce(batch(2, 'p4', 1)).mockResolvedValueOnce(batch(0, null));
    f.mail.purgeFinished.mockResolvedValueOnce(2).mockResolvedValueOnce(2).mockResolvedValueOnce(1);
    f.signatures.anonymiseCampaignBatch.mockImplementation(async (campaignId, _days, after) => {
      if (campaignId === 'c1') return after === null ? batch(2, 's2', 2, 1) : batch(1, 's3', 1, 0);
      return batch(0, null);
    });
    await expect(f.svc.run({ dryRun: false })).resolves.toMatchObject({
      dryRun: false,
      unconfirmedDeleted: 3,
      emailsPurged: 5,
      campaignsAnonymised: 2,
      signaturesAnonymised: 3,
      lettersCancelled: 1,
      updateDeliveriesPurged: 9,
    });
    expect(f.updates.purgeFinishedDeliveries.mock.calls).toEqual([[21, 2]]);
    expect(f.signatures.deleteStaleUnconfirmed.mock.calls).toEqual([
      [30, null, 2],
      [30, 'p2', 2],
      [30, 'p4', 2],
    ]);
    expect(f.mail.purgeFinished.mock.calls).toEqual([
      [14, 2],
      [14, 2],
      [14, 2],
    ]);
    expect(f.signatures.anonymiseCampaignBatch.mock.calls).toEqual([
      ['c1', 180, null, 2],
      ['c1', 180, 's2', 2],
      ['c2', 180, null, 2],
    ]);
    // A campaign with nothing left to anonymise is marked done too.
    expect(f.campaigns.markSupportersAnonymised.mock.calls).toEqual([
      ['c1', 180],
      ['c2', 180],
    ]);
    expect(f.signatures.countStaleUnconfirmed).not.toHaveBeenCalled();
    // In the audit log: each campaign anonymised (its organisers see it), then the run with its counts.
    expect(f.audit.record.mock.calls.map(([entry]) => entry)).toEqual([
      { actor: 'system', action: 'retention.run', campaignId: 'c1', details: { signaturesAnonymised: 3, lettersCancelled: 1 } },
      { actor: 'system', action: 'retention.run', campaignId: 'c2', details: { signaturesAnonymised: 0, lettersCancelled: 0 } },
      {
        actor: 'system',
        action: 'retention.run',
        details: { unconfirmedDeleted: 3, emailsPurged: 5, campaignsAnonymised: 2, signaturesAnonymised: 3, lettersCancelled: 1, updateDeliveriesPurged: 9 },
      },
    ]);
  });

  it('leaves a campaign reopened meanwhile unmarked, and goes on with the next', async () => {
    const f = fakes();
    f.signatures.deleteStaleUnconfirmed.mockResolvedValue(batch(0, null));
    f.mail.purgeFinished.mockResolvedValue(0);
    f.signatures.anonymiseCampaignBatch.mockImplementation(async (campaignId, _days, after) => {
      if (campaignId === 'c1') return after === null ? batch(2, 's2') : null;
      return batch(1, 's9');
    });
    await expect(f.svc.run({ dryRun: false })).resolves.toMatchObject({ campaignsAnonymised: 1, signaturesAnonymised: 3 });
    expect(f.campaigns.markSupportersAnonymised.mock.calls).toEqual([['c2', 180]]);
  });
});

describe('walk', () => {
  it('stops at a short batch, at a batch that found nothing, or when the rule no longer applies', async () => {
    await expect(walk(2, async (after) => (after ? batch(1, 'b') : batch(2, 'a')))).resolves.toEqual({ changed: 3, lettersCancelled: 0, complete: true });
    await expect(walk(2, async () => batch(0, null))).resolves.toEqual({ changed: 0, lettersCancelled: 0, complete: true });
    await expect(walk(2, async (after) => (after ? null : batch(2, 'a')))).resolves.toEqual({ changed: 2, lettersCancelled: 0, complete: false });
  });
});

describe('describeRetention', () => {
  const report = {
    pendingRetentionDays: 30,
    mailRetentionDays: 30,
    signatureRetentionDaysAfterClose: 180,
    updateDeliveryRetentionDays: 30,
    unconfirmedDeleted: 1,
    emailsPurged: 12,
    campaignsAnonymised: 2,
    signaturesAnonymised: 250,
    updateDeliveriesPurged: 4000,
  };

  it('says what was done, in plain words', () => {
    expect(describeRetention({ ...report, dryRun: false, lettersCancelled: 3 })).toEqual([
      'Retention:',
      '  deleted 1 never-confirmed signature (pending or held, last link expired or made over 30 days ago), with their tokens and emails',
      '  purged 12 sent or failed emails older than 30 days',
      '  anonymised 250 signatures of 2 campaigns closed or won over 180 days ago (3 unsent letters cancelled); counts and breakdowns unchanged',
      '  deleted 4000 update delivery rows of sends finished over 30 days ago (the updates keep their counts)',
    ]);
  });

  it('a dry run says "would" and that nothing changed', () => {
    const lines = describeRetention({ ...report, dryRun: true, lettersCancelled: null });
    expect(lines[0]).toBe('Retention, dry run (nothing was changed):');
    expect(lines.slice(1).every((l) => l.startsWith('  would '))).toBe(true);
  });
});
