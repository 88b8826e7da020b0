import type { EntityManager } from 'typeorm';
import { BackgroundTasks } from '../../common/background-tasks';
import { tokenFromSeed, tokenHash } from '../../common/confirmation-token';
import { AppError } from '../../common/app-error';
import { appSecret, validateEnvironment } from '../../config/environment';
import { BlindIndex } from '../../infra/crypto/blind-index';
import type { AbuseService } from '../abuse/abuse.service';
import type { MailOutboxService } from '../mail/mail-outbox.service';
import type { SignaturesService } from '../signatures/signatures.service';
import { ErasureRequest, PrivacyRepository } from './privacy.repository';
import { AuditService } from '../audit/audit.service';
import type { UpdatesService } from '../updates/updates.service';
import { PrivacyService } from './privacy.service';

const env = validateEnvironment({ NODE_ENV: 'test', PRIVACY_LINK_TTL_HOURS: '48', PRIVACY_LIMIT_EMAIL_DAY: '3', PRIVACY_LIMIT_IP_HOUR: '7' });
const tx = {} as EntityManager;
const index = BlindIndex.fromEnvironment(env);

type Rows = Pick<PrivacyRepository, 'transaction' | 'insertIfSigned' | 'findErasure' | 'lockErasure' | 'markUsed' | 'deleteForEmailHash' | 'purgeExpired'>;

/** A jest mock typed as the method it fakes. */
function mockOf<F extends (...args: never[]) => unknown>(impl?: (...args: Parameters<F>) => ReturnType<F>): jest.Mock<ReturnType<F>, Parameters<F>> {
  return jest.fn(impl);
}

const TOKEN = tokenFromSeed(appSecret(env), Buffer.alloc(32, 1));
const request = (over: Partial<ErasureRequest> = {}): ErasureRequest => ({
  id: 'r1',
  tokenHash: tokenHash(TOKEN),
  emailHash: index.email('layla@example.org'),
  locale: 'ar',
  expiresAt: new Date(Date.now() + 3_600_000),
  usedAt: null,
  ...over,
});

function fakes() {
  const rows = {
    transaction: mockOf<Rows['transaction']>((fn) => fn(tx)) as unknown as jest.Mock & Rows['transaction'],
    insertIfSigned: mockOf<Rows['insertIfSigned']>(async () => 'o1'),
    findErasure: mockOf<Rows['findErasure']>(async () => request()),
    lockErasure: mockOf<Rows['lockErasure']>(async () => request()),
    markUsed: mockOf<Rows['markUsed']>(async () => undefined),
    deleteForEmailHash: mockOf<Rows['deleteForEmailHash']>(async () => 1),
    purgeExpired: mockOf<Rows['purgeExpired']>(async () => 0),
  };
  const signatures = { anonymiseByEmailHash: jest.fn(async () => ({ signatures: 3, lettersCancelled: 1, emailsDeleted: 0 })) };
  const mail = { enqueue: jest.fn(async () => undefined) };
  const abuse = { overRequestLimit: jest.fn(async () => false) };
  const background = new BackgroundTasks();
  const audit = { record: jest.fn(async () => undefined) };
  const updates = { eraseOptOuts: jest.fn(async () => 2) };
  const svc = new PrivacyService(
    rows as unknown as PrivacyRepository,
    signatures as unknown as SignaturesService,
    mail as unknown as MailOutboxService,
    abuse as unknown as AbuseService,
    index,
    env.privacy,
    env.app,
    background,
    audit as unknown as AuditService,
    updates as unknown as UpdatesService,
  );
  return { svc, rows, signatures, mail, abuse, background, audit, updates };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}` : String(e)),
  );

describe('PrivacyService.request', () => {
  it('does the same work for every address: one limit check, one statement, with the normalised address’s index and a fresh erasure token', async () => {
    const f = fakes();
    await f.svc.request('erasure', { email: ' L.ayla+x@GMAIL.com ', locale: 'en' }, '203.0.113.5');
    expect(f.abuse.overRequestLimit).toHaveBeenCalledWith({ name: 'privacy-request', ip: '203.0.113.5', points: 7, seconds: 3600 });
    const inserted = f.rows.insertIfSigned.mock.calls[0][0];
    expect(inserted).toMatchObject({ kind: 'erasure', emailHash: index.email('layla@gmail.com'), locale: 'en', dailyCap: 3 });
    // The database gets the token's hash; the seed goes with the email; the link lives PRIVACY_LINK_TTL_HOURS.
    expect(inserted.token!.hash).toEqual(tokenHash(tokenFromSeed(appSecret(env), inserted.token!.seed)));
    expect(inserted.expiresAt.getTime() - Date.now()).toBeGreaterThan(47.9 * 3_600_000);
    await f.background.idle();
    expect(f.mail.enqueue).toHaveBeenCalledWith(['o1']);
  });

  it('enqueues nothing when the statement stored nothing (the address never signed, or its daily cap is reached)', async () => {
    const f = fakes();
    f.rows.insertIfSigned.mockResolvedValue(null);
    await f.svc.request('access', { email: 'nobody@example.org' }, '203.0.113.5');
    expect(f.rows.insertIfSigned).toHaveBeenCalledWith(expect.objectContaining({ kind: 'access', token: null, locale: null }));
    await f.background.idle();
    expect(f.mail.enqueue).not.toHaveBeenCalled();
  });

  it('stores and sends nothing for a client over its hourly limit', async () => {
    const f = fakes();
    f.abuse.overRequestLimit.mockResolvedValue(true);
    await expect(f.svc.request('access', { email: 'layla@example.org' }, '203.0.113.5')).resolves.toBeUndefined();
    expect(f.rows.insertIfSigned).not.toHaveBeenCalled();
  });
});

describe('PrivacyService.erase', () => {
  it('refuses a malformed or unknown token with 404, and an expired one with 410, changing nothing', async () => {
    const f = fakes();
    expect(await codeOf(f.svc.erase('short'))).toBe('404 PRIVACY_LINK_INVALID');
    expect(await codeOf(f.svc.erase(42))).toBe('404 PRIVACY_LINK_INVALID');
    f.rows.findErasure.mockResolvedValueOnce(null);
    expect(await codeOf(f.svc.erase(TOKEN))).toBe('404 PRIVACY_LINK_INVALID');
    f.rows.findErasure.mockResolvedValueOnce(request({ expiresAt: new Date(Date.now() - 1) }));
    expect(await codeOf(f.svc.erase(TOKEN))).toBe('410 PRIVACY_LINK_EXPIRED');
    expect(await codeOf(f.svc.preview(TOKEN))).toBe('resolved');
    expect(f.rows.transaction).not.toHaveBeenCalled();
  });

  it('anonymises every signature of the address, marks the link used and deletes the address’s other requests, in one transaction', async () => {
    const f = fakes();
    await expect(f.svc.erase(TOKEN)).resolves.toEqual({ status: 'erased', locale: 'ar' });
    expect(f.rows.lockErasure).toHaveBeenCalledWith(tx, 'r1');
    expect(f.signatures.anonymiseByEmailHash).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
    expect(f.updates.eraseOptOuts).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
    expect(f.rows.markUsed).toHaveBeenCalledWith(tx, 'r1');
    expect(f.rows.deleteForEmailHash).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
    // Marked used first: the request has no index left when the address's requests are deleted, so it stays.
    expect(f.rows.markUsed.mock.invocationCallOrder[0]).toBeLessThan(f.rows.deleteForEmailHash.mock.invocationCallOrder[0]);
    // In the audit log, in the same transaction, for admins only, with no address hash.
    expect(f.audit.record).toHaveBeenCalledWith({ actor: 'supporter', action: 'privacy.erasure', organisationId: null, subjectId: 'r1', details: { signatures: 3 } }, tx);
  });

  it('answers a used link (or one used while it waited for the lock) the same, erasing nothing more', async () => {
    const f = fakes();
    f.rows.findErasure.mockResolvedValue(request({ usedAt: new Date(), emailHash: null, expiresAt: new Date(0) }));
    await expect(f.svc.erase(TOKEN)).resolves.toEqual({ status: 'erased', locale: 'ar' });
    await expect(f.svc.preview(TOKEN)).resolves.toEqual({ state: 'erased', locale: 'ar' });
    expect(f.rows.transaction).not.toHaveBeenCalled();
    const g = fakes();
    g.rows.lockErasure.mockResolvedValue(request({ usedAt: new Date(), emailHash: null }));
    await expect(g.svc.erase(TOKEN)).resolves.toEqual({ status: 'erased', locale: 'ar' });
    expect(g.signatures.anonymiseByEmailHash).not.toHaveBeenCalled();
    expect(g.rows.markUsed).not.toHaveBeenCalled();
  });
});

describe('PrivacyService.adminErase', () => {
  it('anonymises the address’s signatures at once and deletes its requests, saying how many', async () => {
    const f = fakes();
    const admin = { id: 'admin-1', organisationId: 'o1', role: 'admin' as const };
    await expect(f.svc.adminErase(admin, 'Layla@Example.org', '203.0.113.9')).resolves.toEqual({ erased: 3 });
    expect(f.audit.record).toHaveBeenCalledWith({ actor: admin, action: 'privacy.admin_erasure', organisationId: null, details: { signatures: 3 }, ip: '203.0.113.9' }, tx);
    expect(f.signatures.anonymiseByEmailHash).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
    expect(f.updates.eraseOptOuts).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
    expect(f.rows.deleteForEmailHash).toHaveBeenCalledWith(tx, index.email('layla@example.org'));
  });
});
