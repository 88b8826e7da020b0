import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis, { Cluster } from 'ioredis';
import { QueueName } from '../../src/infra/queue/queue-names';
import { masters } from '../../src/infra/redis/redis-connection';
import { createLiveCampaign, createOrganiserWithOrganisation, type OrganiserLogin } from '../support/factories';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { emailHash } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'redis-cluster.sh');

/** True when nothing listens on 127.0.0.1:port (and it may be bound). */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port whose six ports (three masters, their three bus ports: scripts/redis-cluster.sh)
 * are free, drawn at random below the ephemeral range, so two runs on one machine do not meet.
 */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 2000) * 6;
    const ports = Array.from({ length: 6 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
  throw new Error('no six free ports in a row for the Redis Cluster');
}

/**
 * Nida on a Redis Cluster of three masters (scripts/redis-cluster.sh, Debian's redis-server):
 * REDIS_CLUSTER_NODES set, nothing else changed. Signing and its confirmation mail, a letter to a
 * target, an update email to consenting supporters, the signing limits and the login throttle
 * (multi-key scripts) all work; the keys are spread over the masters, each queue's in one slot.
 */
describe('Redis Cluster (e2e)', () => {
  let base: number;
  let t: TestApp;
  const smtp = new SmtpSink();
  let org: OrganiserLogin;
  let auth: { Authorization: string };

  beforeAll(async () => {
    base = await freeBase();
    const { stdout } = await run('bash', [SCRIPT, 'start', String(base)], { timeout: 30000 });
    const nodes = /REDIS_CLUSTER_NODES=(\S+)/.exec(stdout)?.[1];
    if (!nodes) throw new Error(`redis-cluster.sh said: ${stdout}`);
    t = await createTestApp({
      REDIS_CLUSTER_NODES: nodes,
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <cluster@nida.test>',
      TRUST_PROXY: '127.0.0.1,::1',
      SIGN_LIMITS: 'on',
      SIGN_LIMIT_IP_BURST: '3',
      LOGIN_FREE_ATTEMPTS_PER_ACCOUNT: '2',
      MAIL_RELAY_INTERVAL_MS: '100',
      MAIL_BACKOFF_MS: '50',
      LETTER_DISPATCH_INTERVAL_MS: '100',
      UPDATE_DISPATCH_INTERVAL_MS: '100',
    });
    org = await createOrganiserWithOrganisation(t);
    auth = { Authorization: `Bearer ${org.token}` };
  }, 60000);

  let closed = false;
  afterAll(async () => {
    if (!closed) await t?.close();
    await smtp.stop();
    if (base) await run('bash', [SCRIPT, 'stop', String(base)], { timeout: 30000 });
  }, 60000);

  let n = 0;
  /** Signs from an address of its own (the limits count per address), reads the mail and confirms. */
  const signAndConfirm = async (slug: string, body: Record<string, unknown>) => {
    await t.http().post(`/api/v1/campaigns/${slug}/signatures`).set('X-Forwarded-For', `198.51.100.${++n}`).send(body).expect(202);
    const [mail] = await smtp.waitFor(String(body.email));
    const token = new URL(confirmLink(mail)).pathname.split('/').pop();
    await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
  };

  /** Every key of this test's prefix, from every master: the master's port for each. */
  const keysByMaster = async (): Promise<Map<number, string[]>> => {
    const found = new Map<number, string[]>();
    for (const node of masters(t.redis)) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${t.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      found.set(node.options.port!, keys);
    }
    return found;
  };

  /** The hash slots of these keys, as the cluster computes them. */
  const slotsOf = async (keys: string[]) => new Set(await Promise.all(keys.map(async (key) => Number(await t.redis.cluster('KEYSLOT', key)))));

  it('runs on the cluster: the client is a Cluster of three masters, and /health sees Redis up', async () => {
    expect(t.redis).toBeInstanceOf(Cluster);
    expect(masters(t.redis).map((node) => node.options.port).sort()).toEqual([base, base + 1, base + 2]);
    expect((await t.http().get('/health').expect(200)).body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('signs and confirms through the mail queue, and sends the letter to the target', async () => {
    const campaign = await createLiveCampaign(t, org.token, {
      title: 'Save the marshes',
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\nPlease act.' },
    });
    await t.http().post(`/api/v1/campaigns/${campaign.id}/targets`).set(auth).send({ name: 'Water Ministry', email: 'minister@water.example.org', locale: 'en' }).expect(201);
    await signAndConfirm(campaign.slug, { name: 'Layla Hassan', email: 'layla@example.org', country: 'IQ' });
    const [letter] = await smtp.waitFor('minister@water.example.org');
    expect(letter.parsed.subject).toBe('From Layla Hassan');
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]))[0].n === 1);
    expect((await t.db.query(`SELECT status FROM signatures WHERE email_hash = $1`, [emailHash('layla@example.org')]))[0].status).toBe('verified');
  });

  it('sends an update with notify to the consenting supporters only', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    await signAndConfirm(campaign.slug, { name: 'Omar Ali', email: 'omar@example.org', country: 'JO', contactConsent: true });
    await signAndConfirm(campaign.slug, { name: 'Sara Karim', email: 'sara@example.org', country: 'LB', contactConsent: true });
    await signAndConfirm(campaign.slug, { name: 'Quiet One', email: 'quiet@example.org', country: 'IQ' });
    const update = (await t.http().post(`/api/v1/campaigns/${campaign.id}/updates`).set(auth).send({ title: 'The hearing is on Sunday', body: 'Come.', notify: true }).expect(201)).body;
    const progress = await waitUntil(async () => {
      const p = (await t.http().get(`/api/v1/campaigns/${campaign.id}/updates/${update.id}`).set(auth).expect(200)).body;
      return p.fannedOut && p.pending === 0 && p.sendState === 'done' ? p : null;
    }, 20000, 100);
    expect(progress).toMatchObject({ recipients: 2, sent: 2 });
    const mails = smtp.received.filter((m) => m.parsed.headers.has('x-nida-update') && m.parsed.subject?.endsWith('The hearing is on Sunday'));
    expect(mails.map((m) => m.envelope.to[0]).sort()).toEqual(['omar@example.org', 'sara@example.org']);
  });

  it('keeps the signing limits (one script over four keys): past SIGN_LIMIT_IP_BURST a signature is held', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const emails = [1, 2, 3, 4, 5].map((i) => `burst.${i}@gmail.com`);
    for (const [i, email] of emails.entries()) {
      await t.http().post(`/api/v1/campaigns/${campaign.slug}/signatures`).set('X-Forwarded-For', '203.0.113.9').send({ name: `Signer ${i}`, email, country: 'IQ' }).expect(202);
    }
    const states = await Promise.all(
      emails.map(async (email) => {
        const [row] = await t.db.query(`SELECT status, held_reason FROM signatures WHERE email_hash = $1`, [emailHash(email)]);
        return row.status === 'held' ? `held:${row.held_reason}` : row.status;
      }),
    );
    expect(states).toEqual(['pending', 'pending', 'pending', 'held:ip_burst', 'held:ip_burst']);
  });

  it('shows every queue on the queue dashboard', async () => {
    const res = await t.http().get('/admin/queues/api/queues').set({ Authorization: `Bearer ${await t.adminToken()}` }).expect(200);
    expect((res.body.queues as { name: string }[]).map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
  });

  it('throttles failed logins (one script over three keys): of six wrong passwords at once, LOGIN_FREE_ATTEMPTS_PER_ACCOUNT are checked', async () => {
    // At once, so that a slow password check cannot let a wait run out between them: each is reserved first.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '198.51.100.250').send({ email: t.env.ADMIN_EMAIL, password: 'not the password at all' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 429, 429, 429, 429]);
    const keys = [...(await keysByMaster()).values()].flat().filter((key) => key.startsWith(`${t.env.REDIS_PREFIX}:{login}:`));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect((await slotsOf(keys)).size).toBe(1);
  });

  it('spreads the keys over more than one master, each queue and each script\'s keys in one slot', async () => {
    const byMaster = await keysByMaster();
    const all = [...byMaster.values()].flat();
    expect([...byMaster.values()].filter((keys) => keys.length > 0).length).toBeGreaterThan(1);

    for (const queue of [QueueName.Mail, QueueName.Letters, QueueName.UpdateFanOut, QueueName.UpdateSend]) {
      const keys = all.filter((key) => key.startsWith(`${t.env.REDIS_PREFIX}:bull:{${queue}}:${queue}:`));
      expect(keys.length).toBeGreaterThan(0);
      expect((await slotsOf(keys)).size).toBe(1);
    }
    // Every key of BullMQ is a queue's: none outside a tagged prefix.
    expect(all.filter((key) => key.startsWith(`${t.env.REDIS_PREFIX}:bull:`) && !/^[^{]*:bull:\{[a-z-]+\}:/.test(key))).toEqual([]);
    // The queues do not all sit on one master.
    const queueMasters = new Set<number>();
    for (const [port, keys] of byMaster) if (keys.some((key) => key.includes(':bull:{'))) queueMasters.add(port);
    expect(queueMasters.size).toBeGreaterThan(1);

    const limitKeys = all.filter((key) => key.startsWith(`${t.env.REDIS_PREFIX}:{sign-limit}:`));
    expect(limitKeys.length).toBeGreaterThanOrEqual(3);
    expect((await slotsOf(limitKeys)).size).toBe(1);
  });

  it('leaves no connection open on the cluster once the app is closed', async () => {
    await t.close();
    closed = true;
    /** The clients connected to the masters (name and last command), leaving out the one asking. */
    const others = async () => {
      const lines: string[] = [];
      for (const port of [base, base + 1, base + 2]) {
        const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
        await probe.connect();
        try {
          const list = String(await probe.client('LIST')).trim().split('\n');
          lines.push(...list.filter((line) => !/ cmd=client\|list /.test(line)).map((line) => `${port} ${/ name=(\S*)/.exec(line)?.[1]} ${/ cmd=(\S*)/.exec(line)?.[1]}`));
        } finally {
          await probe.quit();
        }
      }
      return lines;
    };
    await waitUntil(async () => (await others()).length === 0, 10000, 100).catch(() => undefined);
    expect(await others()).toEqual([]);
  });
});
