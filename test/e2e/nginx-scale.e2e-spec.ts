import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { FastSmtpSink, rawHeader, type RawMail } from '../support/fast-smtp-sink';
import { flood, type FloodAnswer } from '../support/flood';
import { freePort, NidaProcess, spawnNida } from '../support/processes';
import { createTestApp, flushPrefix, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const DEPLOY = join(__dirname, '../../deploy');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? 'nginx';

const SIGNATURES = 2000;
const CONCURRENCY = 32;
/** The first api process gets SIGTERM once this many signing requests have been sent. */
const RESTART_AT = 400;
/** Each worker's SMTP connections: what a killed worker may have had in the SMTP server's hands. */
const MAIL_CONCURRENCY = 5;
const BURST = 10; // SIGN_LIMIT_IP_BURST's default

/** Debian's nginx, run by this test as its own user in the foreground, with deploy/nginx-test.conf. */
class Nginx {
  readonly temp = mkdtempSync(join(tmpdir(), 'nida-nginx-'));
  private child?: ChildProcess;
  private output = '';

  constructor(
    readonly port: number,
    private readonly apis: [number, number],
  ) {}

  async start(): Promise<void> {
    const conf = readFileSync(join(DEPLOY, 'nginx-test.conf'), 'utf8')
      .replaceAll('@TEMP@', this.temp)
      .replaceAll('@PORT@', String(this.port))
      .replaceAll('@API1@', String(this.apis[0]))
      .replaceAll('@API2@', String(this.apis[1]))
      .replaceAll('@DEPLOY@', DEPLOY);
    writeFileSync(join(this.temp, 'nginx.conf'), conf);
    // -e: the error log before the configuration is read (Debian's default is under /var/log).
    this.child = spawn(NGINX, ['-p', this.temp, '-c', join(this.temp, 'nginx.conf'), '-e', join(this.temp, 'error.log')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    await waitUntil(async () => {
      if (this.child?.exitCode !== null) throw new Error(`nginx exited (${this.child?.exitCode}): ${this.output}${this.errors()}`);
      return new Promise<boolean>((resolve) => {
        const socket = connect(this.port, '127.0.0.1', () => resolve(socket.end() !== undefined));
        socket.on('error', () => resolve(false));
      });
    }, 10000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.temp, { recursive: true, force: true });
  }

  /** The access log's lines: `<X-Forwarded-For> [<time>] "<method> <uri>" <status> <seconds> <upstream(s)> <upstream status(es)>`. */
  accessLog(): string[] {
    return readFileSync(join(this.temp, 'access.log'), 'utf8').split('\n').filter(Boolean);
  }

  errors(): string {
    return existsSync(join(this.temp, 'error.log')) ? readFileSync(join(this.temp, 'error.log'), 'utf8') : '';
  }
}

/** An access log line's upstreams, in the order nginx tried them (a retried request names two). */
function upstreamsOf(line: string): string[] {
  return (/" \d{3} [\d.]+ (.+?) [\d, -]+$/.exec(line)?.[1] ?? '-').split(', ');
}

/** Requests per upstream in access log lines, counted on the one that answered (the last tried). */
function byUpstream(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const upstream = upstreamsOf(line).pop()!;
    counts.set(upstream, (counts.get(upstream) ?? 0) + 1);
  }
  return counts;
}

/**
 * GET /health on one process, on a connection of its own that closes after the answer (fetch would
 * keep it open for the process's keep-alive timeout, and a stopping process waits for it).
 */
function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/health', agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** CPU seconds a running process has used (Linux: /proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The confirmation token in a confirmation email's raw source (quoted-printable soft breaks undone). */
function tokenOf(mail: RawMail): string {
  const match = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.raw.replace(/=\r?\n/g, ''));
  if (!match) throw new Error(`no confirmation link in: ${mail.raw.slice(0, 2000)}`);
  return match[1];
}

/**
 * Nida as deployed at scale: Debian's nginx (deploy/nginx-test.conf: deploy/nginx.conf's upstream
 * and deploy/nida-proxy.conf, on loopback) in front of two APP_ROLE=api processes, two
 * APP_ROLE=worker processes, one database and one Redis, TRUST_PROXY set to nginx's address.
 * 2,000 signatures through nginx while one api process is restarted (SIGTERM, then started again
 * on its port) and one worker is killed (SIGKILL): no request fails, every address gets its
 * confirmation once (a repeat only of a message in the dead worker's hands, with the same
 * Message-ID), and the public count is exact once all are confirmed. The signing limits count one
 * client's requests across both api processes.
 *
 * This test's client stands where a CDN would, in front of nginx on loopback: its X-Forwarded-For
 * names the supporter, which nginx passes on with its own peer's address appended; Nida trusts
 * only nginx's address (127.0.0.1), so request.ip is the supporter's.
 */
describe('many processes behind nginx (e2e)', () => {
  let t: TestApp;
  let nginx: Nginx;
  let env: Record<string, string>;
  const smtp = new FastSmtpSink();
  const apiPorts: [number, number] = [0, 0];
  const apis: NidaProcess[] = [];
  const workers: NidaProcess[] = [];
  const started: NidaProcess[] = [];
  let slug: string;
  let campaignId: string;
  let token: string;

  const startApi = async (port: number): Promise<NidaProcess> => {
    // Warnings only (no line per request): ready when /health answers.
    const api = spawnNida({ ...env, APP_ROLE: 'api', PORT: String(port), LOG_LEVEL: 'warn' });
    started.push(api);
    await waitUntil(async () => {
      if (api.child.exitCode !== null) throw new Error(`api exited (${api.child.exitCode}): ${api.output()}`);
      return (await healthStatus(port)) === 200;
    }, 90000, 100);
    return api;
  };
  const startWorker = async (): Promise<NidaProcess> => {
    const worker = spawnNida({ ...env, APP_ROLE: 'worker', PORT: String(await freePort()) });
    started.push(worker);
    await worker.waitFor('Nida ready (role worker)', 90000);
    return worker;
  };
  const sign = (i: number, prefix: string, address: string) => ({
    body: { name: `Supporter ${i}`, email: `${prefix}${i}@gmail.com`, country: 'IQ' },
    headers: { 'x-forwarded-for': address },
  });
  const statuses = (answers: FloodAnswer[]) => {
    const counts: Record<string, number> = {};
    for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
    return counts;
  };

  beforeAll(async () => {
    const settings = {
      SMTP_URL: await smtp.start(),
      MAIL_FROM: 'Nida <mail@nida.test>',
      MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
      MAIL_BACKOFF_MS: '50',
      MAIL_RELAY_INTERVAL_MS: '200',
      MAIL_REQUEUE_AFTER_SECONDS: '2',
      // A killed worker's emails are taken over when their leases run out.
      SEND_LEASE_SECONDS: '4',
      TALLY_INTERVAL_MS: '100',
      COUNT_CACHE_MS: '0',
      SIGN_LIMITS: 'on',
      TRUST_PROXY: '127.0.0.1',
    };
    // This process makes the database and the campaign; it serves no traffic of the test.
    t = await createTestApp({ APP_ROLE: 'api', ...settings });
    env = { ...settings, MIGRATIONS_RUN: 'false' };
    const organiser = await createOrganiserWithOrganisation(t);
    token = organiser.token;
    const campaign = await createLiveCampaign(t, token);
    slug = campaign.slug;
    campaignId = campaign.id;
    // A slow relay: messages are in its hands for a while before it answers (in flight at the kill).
    smtp.replyDelayMs = 40;

    apiPorts[0] = await freePort();
    apiPorts[1] = await freePort();
    const ready = await Promise.all([startApi(apiPorts[0]), startApi(apiPorts[1]), startWorker(), startWorker()]);
    apis.push(ready[0], ready[1]);
    workers.push(ready[2], ready[3]);
    nginx = new Nginx(await freePort(), apiPorts);
    await nginx.start();
  }, 180000);

  afterAll(async () => {
    for (const nida of started) {
      if (nida.child.exitCode !== null || nida.child.signalCode !== null) continue;
      nida.child.kill('SIGTERM');
      const timer = setTimeout(() => nida.child.kill('SIGKILL'), 10000);
      await nida.exited;
      clearTimeout(timer);
    }
    await nginx?.stop();
    if (t) {
      await flushPrefix(t.redis, t.env.REDIS_PREFIX);
      await t.close();
    }
    await smtp.stop();
  });

  it('takes 2,000 signatures through nginx while an api process restarts and a worker is killed; each confirmed once, the count exact', async () => {
    const begun = Date.now();
    const emails = Array.from({ length: SIGNATURES }, (_, i) => `load${i}@gmail.com`);
    const sent = new Set(emails);
    const confirmations = () => smtp.received.filter((m) => sent.has(m.envelope.to[0]));

    // SIGTERM to the first api process mid-load; once it has exited, it is started again on its port.
    let restart: Promise<{ code: number | null; signal: string | null; drainedMs: number; downMs: number; output: string }> | undefined;
    const restartFirstApi = async () => {
      const stopping = apis[0];
      const at = Date.now();
      stopping.child.kill('SIGTERM');
      const exit = await stopping.exited;
      const drainedMs = Date.now() - at;
      apis[0] = await startApi(apiPorts[0]);
      return { ...exit, drainedMs, downMs: Date.now() - at, output: stopping.output() };
    };
    // SIGKILL to the first worker once it is sending, with messages in the SMTP server's hands.
    const killed = (async () => {
      await waitUntil(async () => confirmations().length >= 200 && smtp.inFlight >= 2, 60000, 2);
      workers[0].child.kill('SIGKILL');
      const inFlight = smtp.inFlight;
      const received = confirmations().length;
      await workers[0].exited;
      return { inFlight, received, at: Date.now() };
    })();

    const signing = Date.now();
    const answers = await flood(
      nginx.port,
      `/api/v1/campaigns/${slug}/signatures`,
      SIGNATURES,
      (i) => {
        if (i === RESTART_AT) restart = restartFirstApi();
        // One address per supporter (10.x.y.z): the per-address limits hold none of them.
        return sign(i, 'load', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      },
      CONCURRENCY,
    );
    const signedMs = Date.now() - signing;
    const restarted = await restart!;
    // No request failed: every one is a 202 (a connection error would have thrown).
    const failed = answers.some((a) => a.status !== 202);
    expect([statuses(answers), failed ? `${nginx.errors()}\nthe stopped api:\n${restarted.output}` : '']).toEqual([{ 202: SIGNATURES }, '']);
    // It drained (its warnings: none) and stopped cleanly.
    expect({ code: restarted.code, signal: restarted.signal, output: restarted.output }).toEqual({ code: 0, signal: null, output: '' });

    // Every address gets its confirmation; the killed worker's jobs are finished by the other.
    const kill = await killed;
    expect(kill.received).toBeLessThan(SIGNATURES); // killed mid-send
    await waitUntil(async () => new Set(confirmations().map((m) => m.envelope.to[0])).size === SIGNATURES, 60000, 100).catch((error: Error) => {
      throw new Error(`${error.message}: ${new Set(confirmations().map((m) => m.envelope.to[0])).size} addresses mailed`);
    });
    const mailedMs = Date.now() - signing;
    await waitUntil(async () => smtp.inFlight === 0, 5000, 10);
    const byAddress = new Map<string, RawMail[]>();
    for (const mail of confirmations()) byAddress.set(mail.envelope.to[0], [...(byAddress.get(mail.envelope.to[0]) ?? []), mail]);
    expect([...byAddress.keys()].sort()).toEqual([...emails].sort());
    // Message-IDs: one per address, none shared; a repeat carries its first copy's.
    const ids = new Map<string, string>();
    let repeats = 0;
    for (const [address, copies] of byAddress) {
      const own = new Set(copies.map((m) => rawHeader(m, 'Message-ID')));
      expect([address, own.size]).toEqual([address, 1]);
      const [id] = own;
      expect(id).toBeTruthy();
      expect([id, ids.get(id!)]).toEqual([id, undefined]);
      ids.set(id!, address);
      repeats += copies.length - 1;
    }
    // Repeated: only what the dead worker had handed to the SMTP server and not recorded as sent:
    // a message on each of its pool's connections, and the accepted ones of the group waiting for
    // its commit (BatchSender records a group of up to its in-flight count, 2 × MAIL_CONCURRENCY,
    // or what 10 ms brought). One CI run saw 6: five on the wire and one accepted.
    expect(repeats).toBeLessThanOrEqual(MAIL_CONCURRENCY + 2 * MAIL_CONCURRENCY);

    // All confirm, through nginx, with the tokens from their emails.
    const logBefore = nginx.accessLog().length;
    const confirmed = await flood(nginx.port, '/api/v1/signatures/confirm', SIGNATURES, (i) => ({ body: { token: tokenOf(byAddress.get(emails[i])![0]) } }), CONCURRENCY);
    expect(statuses(confirmed)).toEqual({ 200: SIGNATURES });
    // The restarted process serves again: nginx sent it its share of the confirmations.
    const confirmLoad = byUpstream(nginx.accessLog().slice(logBefore));
    expect(confirmLoad.get(`127.0.0.1:${apiPorts[0]}`)).toBeGreaterThan(SIGNATURES / 4);
    expect(confirmLoad.get(`127.0.0.1:${apiPorts[1]}`)).toBeGreaterThan(SIGNATURES / 4);

    // The public count, read through nginx, is exact.
    const readCount = async () => ((await (await fetch(`http://127.0.0.1:${nginx.port}/api/v1/campaigns/${slug}/count`)).json()) as { verified: number }).verified;
    const count = await waitUntil(async () => {
      const verified = await readCount();
      return verified === SIGNATURES ? verified : 0;
    }, 20000, 100).catch(async (error: Error) => {
      throw new Error(`${error.message}: the count is ${await readCount()}`);
    });
    expect(count).toBe(SIGNATURES);
    const [{ verified, total }] = await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'verified')::int AS verified, count(*)::int AS total FROM signatures WHERE campaign_id = $1`,
      [campaignId],
    );
    expect({ verified, total }).toEqual({ verified: SIGNATURES, total: SIGNATURES });

    // nginx's view: every signing request answered 202; those it retried went to the other process.
    const log = nginx.accessLog().slice(0, logBefore);
    const retried = log.filter((line) => upstreamsOf(line).length > 1).length;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const cpu = [...apis, workers[1]].map((p) => cpuSeconds(p.child.pid).toFixed(1)).join(', ');
    console.log(
      [
        `nginx-scale: ${SIGNATURES} signatures through nginx in ${s(signedMs)} (${CONCURRENCY} connections); upstreams: ${JSON.stringify(Object.fromEntries(byUpstream(log)))}`,
        `  api 1 restarted at request ${RESTART_AT}: exited ${restarted.code} after ${s(restarted.drainedMs)}, serving again after ${s(restarted.downMs)}; ${retried} requests nginx retried on the other`,
        `  worker 1 killed after ${kill.received} confirmations were received, ${kill.inFlight} in the SMTP server's hands; all ${SIGNATURES} addresses mailed ${s(mailedMs)} after signing began; ${repeats} repeats (same Message-ID)`,
        `  ${SIGNATURES} confirmed through nginx; count ${count}; test body ${s(Date.now() - begun)}`,
        `  CPU seconds: restarted api ${cpu.split(', ')[0]}, api 2 ${cpu.split(', ')[1]}, surviving worker ${cpu.split(', ')[2]}, this process ${(process.cpuUsage().user / 1e6).toFixed(1)}`,
      ].join('\n'),
    );
  }, 180000);

  it('counts one client’s signatures against the limits across both api processes', async () => {
    const campaign = await createLiveCampaign(t, token);
    const clients = ['198.51.100.7', '198.51.100.8'];
    const perClient = 4 * BURST;
    const logBefore = nginx.accessLog().length;
    const answers = await flood(
      nginx.port,
      `/api/v1/campaigns/${campaign.slug}/signatures`,
      clients.length * perClient,
      // A A B B A A B B…: nginx's round robin gives each client's requests to both processes.
      (i) => sign(i, 'limit', clients[(i >> 1) % clients.length]),
      8,
    );
    // Held or not, the answer is the same 202.
    expect(statuses(answers)).toEqual({ 202: clients.length * perClient });
    // Each process took more than SIGN_LIMIT_IP_BURST of each client's requests…
    const lines = nginx.accessLog().slice(logBefore);
    for (const client of clients) {
      const served = byUpstream(lines.filter((line) => line.startsWith(`${client} `)));
      expect([client, served.size]).toEqual([client, 2]);
      for (const port of apiPorts) expect([client, port, served.get(`127.0.0.1:${port}`)! > BURST]).toEqual([client, port, true]);
    }
    // …and each client got SIGN_LIMIT_IP_BURST signatures in all, not that many per process.
    const rows: { status: string; held_reason: string | null; n: number }[] = await t.db.query(
      `SELECT status, held_reason, count(*)::int AS n FROM signatures WHERE campaign_id = $1 GROUP BY ip_hash, status, held_reason ORDER BY ip_hash, status`,
      [campaign.id],
    );
    expect(rows).toEqual(
      clients.flatMap(() => [
        { status: 'held', held_reason: 'ip_burst', n: perClient - BURST },
        { status: 'pending', held_reason: null, n: BURST },
      ]),
    );
  }, 30000);
});
