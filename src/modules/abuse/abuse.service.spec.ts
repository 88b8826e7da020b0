import { validateSettings, AbuseSettings } from '../../config/environment';
import { AbuseService } from './abuse.service';
import { BlockLists, type ListEntry } from './block-lists';
import type { BlocksService } from './blocks.service';
import type { DisposableDomains } from './disposable-domains';
import type { SignLimitsService } from './sign-limits.service';

/**
 * The decision on a signature, with the Redis limiter and the lists faked: what wins over what,
 * what is counted against the limits, and that Redis being away never refuses a signer.
 */
type Limits = Pick<SignLimitsService, 'consume'>;

function mockOf<F extends (...args: never[]) => unknown>(impl?: (...args: Parameters<F>) => ReturnType<F>) {
  return jest.fn(impl);
}

function fakes(entries: ListEntry[] = [], settings: Record<string, string> = {}) {
  const limits = { consume: mockOf<Limits['consume']>(async () => null) } satisfies Record<keyof Limits, jest.Mock>;
  const lists = new BlockLists(entries);
  const blocks = { lists: () => lists };
  const disposable = { has: (d: string) => d === 'mailinator.com' || d.endsWith('.mailinator.com') };
  const svc = new AbuseService(
    blocks as unknown as BlocksService,
    limits as unknown as SignLimitsService,
    validateSettings(AbuseSettings, settings),
    disposable as unknown as DisposableDomains,
  );
  return { svc, limits };
}

const signer = (ip: string | null = '203.0.113.7', emailKey = 'layla@example.org') => ({ ip, emailKey });

describe('AbuseService.judge', () => {
  it('passes a signer within the limits, counted against address, domain and email', async () => {
    const { svc, limits } = fakes();
    await expect(svc.judge(signer())).resolves.toEqual({ action: 'pass' });
    expect(limits.consume).toHaveBeenCalledWith({ client: '203.0.113.7', domain: 'example.org', emailKey: 'layla@example.org' });
  });

  it('holds a signer over a limit, with the limit as the reason', async () => {
    for (const reason of ['ip_burst', 'ip_hour', 'domain_hour', 'email_hour'] as const) {
      const { svc, limits } = fakes();
      limits.consume.mockResolvedValue(reason);
      await expect(svc.judge(signer())).resolves.toEqual({ action: 'hold', reason });
    }
  });

  it('does not limit the large mail providers per domain (the address and email limits still apply)', async () => {
    const { svc, limits } = fakes();
    for (const key of ['a@gmail.com', 'b@hotmail.com', 'c@yahoo.co.uk', 'd@gmx.de', 'e@proton.me', 'f@mail.ru', 'g@icloud.com']) {
      await svc.judge(signer('203.0.113.7', key));
    }
    await svc.judge(signer('203.0.113.7', 'h@uni.example.edu'));
    expect(limits.consume.mock.calls.map(([s]) => s.domain)).toEqual([null, null, null, null, null, null, null, 'uni.example.edu']);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', async () => {
    const { svc, limits } = fakes();
    await svc.judge(signer('2001:db8:1:2:aaaa::1'));
    await svc.judge(signer('2001:DB8:1:2:bbbb:cccc:dddd:eeee'));
    await svc.judge(signer('::ffff:198.51.100.4'));
    await svc.judge(signer(null));
    expect(limits.consume.mock.calls.map(([s]) => s.client)).toEqual(['2001:db8:1:2::/64', '2001:db8:1:2::/64', '198.51.100.4', null]);
  });

  it('blocks a listed address, range, domain (and its subdomains) or email, counting nothing', async () => {
    const { svc, limits } = fakes([
      { type: 'ip', value: '203.0.113.9', action: 'block' },
      { type: 'cidr', value: '198.51.100.0/24', action: 'block' },
      { type: 'cidr', value: '2001:db8:bad::/48', action: 'block' },
      { type: 'domain', value: 'spam.example', action: 'block' },
      { type: 'email', value: 'laylah@gmail.com', action: 'block' },
    ]);
    const blocked = [
      signer('203.0.113.9'),
      signer('::ffff:203.0.113.9'),
      signer('198.51.100.200'),
      signer('2001:db8:bad:1::5'),
      signer('203.0.113.7', 'x@spam.example'),
      signer('203.0.113.7', 'x@mx.spam.example'),
      signer('203.0.113.7', 'laylah@gmail.com'),
    ];
    for (const s of blocked) await expect(svc.judge(s)).resolves.toEqual({ action: 'block' });
    expect(limits.consume).not.toHaveBeenCalled();
    for (const s of [signer('203.0.113.10'), signer('198.51.101.1'), signer('203.0.113.7', 'x@notspam.example')]) {
      await expect(svc.judge(s)).resolves.toEqual({ action: 'pass' });
    }
  });

  it('lets an allowed source skip the limits; a block wins over an allow', async () => {
    const { svc, limits } = fakes([
      { type: 'cidr', value: '192.0.2.0/24', action: 'allow' },
      { type: 'domain', value: 'coalition.example', action: 'allow' },
      { type: 'email', value: 'abuser@example.org', action: 'block' },
    ]);
    limits.consume.mockResolvedValue('ip_burst');
    await expect(svc.judge(signer('192.0.2.44'))).resolves.toEqual({ action: 'allow' });
    await expect(svc.judge(signer('203.0.113.7', 'staff@coalition.example'))).resolves.toEqual({ action: 'allow' });
    await expect(svc.judge(signer('192.0.2.44', 'abuser@example.org'))).resolves.toEqual({ action: 'block' });
    expect(limits.consume).not.toHaveBeenCalled();
    await expect(svc.judge(signer('203.0.113.7'))).resolves.toEqual({ action: 'hold', reason: 'ip_burst' });
  });

  it('refuses a disposable address with 400 EMAIL_DISPOSABLE before counting it, unless turned off or allowed', async () => {
    const { svc, limits } = fakes();
    await expect(svc.judge(signer('203.0.113.7', 'x@mailinator.com'))).rejects.toMatchObject({ status: 400, code: 'EMAIL_DISPOSABLE' });
    await expect(svc.judge(signer('203.0.113.7', 'x@eu.mailinator.com'))).rejects.toMatchObject({ code: 'EMAIL_DISPOSABLE' });
    expect(limits.consume).not.toHaveBeenCalled();

    const off = fakes([], { SIGN_DISPOSABLE_CHECK: 'off' });
    await expect(off.svc.judge(signer('203.0.113.7', 'x@mailinator.com'))).resolves.toEqual({ action: 'pass' });

    const allowed = fakes([{ type: 'domain', value: 'mailinator.com', action: 'allow' }]);
    await expect(allowed.svc.judge(signer('203.0.113.7', 'x@mailinator.com'))).resolves.toEqual({ action: 'allow' });
    // An allowed address is no reason to accept a disposable email.
    const ipAllowed = fakes([{ type: 'ip', value: '203.0.113.7', action: 'allow' }]);
    await expect(ipAllowed.svc.judge(signer('203.0.113.7', 'x@mailinator.com'))).rejects.toMatchObject({ code: 'EMAIL_DISPOSABLE' });
  });

  it('with SIGN_LIMITS=off counts nothing, yet still applies the lists', async () => {
    const { svc, limits } = fakes([{ type: 'ip', value: '203.0.113.9', action: 'block' }], { SIGN_LIMITS: 'off' });
    await expect(svc.judge(signer())).resolves.toEqual({ action: 'pass' });
    await expect(svc.judge(signer('203.0.113.9'))).resolves.toEqual({ action: 'block' });
    expect(limits.consume).not.toHaveBeenCalled();
  });

  it('passes every signer, with one warning, when Redis does not answer', async () => {
    const { svc, limits } = fakes();
    limits.consume.mockRejectedValue(new Error('Connection is closed.'));
    const warn = jest.spyOn((svc as unknown as { logger: { warn: () => void } }).logger, 'warn').mockImplementation(() => undefined);
    for (let i = 0; i < 5; i++) await expect(svc.judge(signer())).resolves.toEqual({ action: 'pass' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('203.0.113.7');
    expect(JSON.stringify(warn.mock.calls)).not.toContain('layla');
  });
});
