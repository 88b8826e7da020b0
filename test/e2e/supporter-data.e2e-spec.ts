import { execFileSync } from 'node:child_process';
import { Keyring } from '../../src/infra/crypto/keyring';
import { DigestsService } from '../../src/modules/letter-deliveries/digests.service';
import { createLiveCampaign, createOrganiserWithOrganisation } from '../support/factories';
import { freePort, runCli, spawnNida } from '../support/processes';
import { signAndConfirm } from '../support/signing';
import { confirmLink, SmtpSink } from '../support/smtp-sink';
import { emailHash } from '../support/supporter-data';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const OLD = `old:${key(1)}`;
const NEW = `new:${key(2)}`;
const SEALED = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]+={0,2}$/;

/** Every text of the test's database as pg_dump writes it (schema and data). */
function pgDump(databaseUrl: string): string {
  return execFileSync('pg_dump', ['--no-owner', databaseUrl], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Every value under the test's Redis prefix (queues' jobs, limits, caches), as text. */
async function redisText(t: TestApp): Promise<string> {
  const parts: string[] = [];
  for (const k of await t.redis.keys(`${t.env.REDIS_PREFIX}*`)) {
    const type = await t.redis.type(k);
    if (type === 'string') parts.push(String(await t.redis.get(k)));
    else if (type === 'hash') parts.push(JSON.stringify(await t.redis.hgetall(k)));
    else if (type === 'list') parts.push(JSON.stringify(await t.redis.lrange(k, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await t.redis.smembers(k)));
    else if (type === 'zset') parts.push(JSON.stringify(await t.redis.zrange(k, 0, -1)));
    parts.push(k);
  }
  return parts.join('\n');
}

describe("supporters' data at rest (e2e)", () => {
  let t: TestApp;
  const smtp = new SmtpSink();
  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), DATA_KEYS: `${NEW},${OLD}`, LETTER_DISPATCH_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // Distinctive texts, so a search of the dump cannot miss them or find them by chance.
  const supporters = [
    { name: 'Zubayda Qassimova', email: 'zubayda.qassimova@example.org', city: 'Qurnatownish', comment: 'Marshwater unique remark 7731', country: 'IQ' },
    { name: 'ليلى الحسناويّة', email: 'laila.hasnawiya@example.net', city: 'الچبايشيّة', comment: 'أرجو الإفراج عنه فوراً ٤٤٢١', country: 'IQ' },
    { name: 'Omar Farouqiyan', email: 'omar.farouqiyan@example.com', city: 'Nasiriyahville', comment: 'Third hidden comment 9902', country: 'SY' },
  ];
  const secrets = supporters.flatMap((s) => [s.name, s.email, s.email.split('@')[0], s.city, s.comment]);

  it('a pg_dump (and Redis) after signing, confirming, letters and a digest holds none of their emails, names, cities or comments', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const auth = { Authorization: `Bearer ${org.token}` };
    const perSignature = await createLiveCampaign(t, org.token, {
      letter: { mode: 'per_signature', subject: 'From {{supporter.name}}', body: 'Dear {{target.name}},\n\n{{supporter.name}} of {{supporter.city}}: {{supporter.comment}}' },
    });
    const digest = await createLiveCampaign(t, org.token, { letter: { mode: 'digest', subject: 'Supporters', body: 'Dear {{target.name}},' } });
    await t.http().post(`/api/v1/campaigns/${perSignature.id}/targets`).set(auth).send({ name: 'Minister', email: 'minister@gov.example.org', locale: 'en' }).expect(201);
    await t.http().post(`/api/v1/campaigns/${digest.id}/targets`).set(auth).send({ name: 'Director', email: 'director@unesco.example.org', locale: 'en' }).expect(201);

    for (const s of supporters) {
      await signAndConfirm(t, smtp, perSignature.slug, { ...s, showName: true, replyConsent: true });
    }
    // A pending one too (never confirmed).
    await t.http().post(`/api/v1/campaigns/${perSignature.slug}/signatures`).send({ name: 'Pending Persona Xq', email: 'pending.persona@example.org', country: 'LB', city: 'Tyrevillex' }).expect(202);
    secrets.push('Pending Persona Xq', 'pending.persona@example.org', 'Tyrevillex');

    // The letters went out, each with its supporter's details opened...
    const letters = await smtp.waitFor('minister@gov.example.org', 3);
    expect(letters.map((m) => m.parsed.subject).sort()).toEqual(supporters.map((s) => `From ${s.name}`).sort());
    expect(letters.map((m) => m.parsed.text ?? '').join('\n')).toContain('Zubayda Qassimova of Qurnatownish: Marshwater unique remark 7731');
    await smtp.waitFor('pending.persona@example.org');
    smtp.clear();
    for (const s of supporters) await signAndConfirm(t, smtp, digest.slug, { ...s, showName: true });
    // ...and the digest, naming those who agreed to be shown.
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${digest.slug}/count`)).body.verified === 3);
    await t.db.query(`UPDATE campaigns SET published_at = now() - interval '25 hours' WHERE id = $1`, [digest.id]);
    await t.db.query(`UPDATE signatures SET verified_at = now() - interval '1 hour' WHERE campaign_id = $1`, [digest.id]);
    expect(await t.app.get(DigestsService).cutDue()).toBe(1);
    const [digestLetter] = await smtp.waitFor('director@unesco.example.org');
    expect(digestLetter.parsed.text).toContain('Omar Farouqiyan (Nasiriyahville)');
    // The public page shows first names and cities of those who chose to be shown.
    const page = await t.http().get(`/en/c/${perSignature.slug}`).expect(200);
    expect(page.text).toContain('Zubayda');
    expect(page.text).toContain('Qurnatownish');
    expect(page.text).not.toContain('Qassimova');

    const dump = pgDump(t.env.DATABASE_URL);
    expect(dump).toContain('minister@gov.example.org'); // the dump is complete: an official's address is there
    const inDump = secrets.filter((s) => dump.toLowerCase().includes(s.toLowerCase()));
    expect(inDump).toEqual([]);
    const redis = (await redisText(t)).toLowerCase();
    const inRedis = secrets.filter((s) => redis.includes(s.toLowerCase()));
    expect(inRedis).toEqual([]);
  });

  it('a database user reading signatures directly sees only ciphertext, each value with its key id, which only the keys open', async () => {
    const rows: Record<string, string | null>[] = await t.db.query(
      `SELECT email, name, city, comment, email_hash, data_key FROM signatures WHERE email_hash = ANY($1::text[])`,
      [supporters.map((s) => emailHash(s.email))],
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      for (const column of ['email', 'name', 'city', 'comment'] as const) {
        expect([column, r[column]]).toEqual([column, expect.stringMatching(SEALED)]);
        expect(r[column]?.startsWith('new:')).toBe(true);
      }
      expect(r.data_key).toBe('new');
      expect(r.email_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    // The same name on two campaigns: two different ciphertexts (a fresh nonce each time).
    expect(new Set(rows.map((r) => r.name)).size).toBe(6);
    const keys = Keyring.fromEnvironment(t.env);
    expect(rows.map((r) => keys.open('signature.name', r.name ?? '')).sort()).toEqual([...supporters, ...supporters].map((s) => s.name).sort());
    // Without the key, nothing opens; a value moved to another column does not open either.
    const stranger = new Keyring([{ id: 'new', key: Buffer.alloc(32, 3) }]);
    expect(() => stranger.open('signature.email', rows[0].email ?? '')).toThrow();
    expect(() => keys.open('signature.name', rows[0].email ?? '')).toThrow();
  });

  it('keys:rotate re-seals under the first key while Nida signs and confirms: every value still readable, none under the old key', async () => {
    const org = await createOrganiserWithOrganisation(t);
    const campaign = await createLiveCampaign(t, org.token);
    // A process that still has only the old key signs 40 supporters (as during a rolling change of keys).
    const port = await freePort();
    const older = spawnNida({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', DATA_KEYS: OLD, SMTP_URL: t.env.SMTP_URL ?? '', LOG_LEVEL: 'warn' });
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.status === 200, 60000, 100);
    const oldEmails = Array.from({ length: 40 }, (_, i) => `rotate.old.${i}@example.org`);
    for (const [i, email] of oldEmails.entries()) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/campaigns/${campaign.slug}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Old Signer ${i}`, email, country: 'IQ', city: 'Amarah', comment: 'under the old key' }),
      });
      expect(res.status).toBe(202);
    }
    older.child.kill('SIGTERM');
    await older.exited;
    const keyCounts = async () =>
      Object.fromEntries(
        ((await t.db.query(`SELECT data_key, count(*)::int AS n FROM signatures WHERE campaign_id = $1 GROUP BY 1`, [campaign.id])) as { data_key: string; n: number }[]).map((r) => [r.data_key, r.n]),
      );
    expect(await keyCounts()).toEqual({ old: 40 });

    // The rotation, in batches of 5, while this Nida (new key first) confirms the old signers and signs new ones.
    const rotation = runCli(['keys:rotate', '--batch-size', '5'], { DATA_KEYS: `${NEW},${OLD}` }, 60000);
    const newEmails = Array.from({ length: 20 }, (_, i) => `rotate.new.${i}@example.org`);
    await Promise.all([
      ...oldEmails.map(async (email) => {
        const [mail] = await smtp.waitFor(email);
        const token = new URL(confirmLink(mail)).pathname.split('/').pop();
        await t.http().post('/api/v1/signatures/confirm').send({ token }).expect(200);
      }),
      ...newEmails.map((email, i) => signAndConfirm(t, smtp, campaign.slug, { name: `New Signer ${i}`, email, country: 'JO', city: 'Irbid' })),
    ]);
    const done = await rotation;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Re-encrypted 40 signature\(s\) under key "new"/);
    expect(done.stdout).toContain('Nothing is sealed under any other key');
    expect(await keyCounts()).toEqual({ new: 60 });

    // Readable with the new key alone, every value as typed; all 60 counted.
    const newOnly = new Keyring([{ id: 'new', key: Buffer.from(key(2), 'base64') }]);
    const rows: { email: string; name: string; city: string; comment: string | null }[] = await t.db.query(
      `SELECT email, name, city, comment FROM signatures WHERE campaign_id = $1`,
      [campaign.id],
    );
    const emails = rows.map((r) => newOnly.open('signature.email', r.email)).sort();
    expect(emails).toEqual([...oldEmails, ...newEmails].sort());
    for (const r of rows) {
      const email = newOnly.open('signature.email', r.email);
      const i = Number(email.split('.')[2].split('@')[0]);
      expect(newOnly.open('signature.name', r.name)).toBe(email.startsWith('rotate.old') ? `Old Signer ${i}` : `New Signer ${i}`);
      expect(newOnly.openOrNull('signature.comment', r.comment)).toBe(email.startsWith('rotate.old') ? 'under the old key' : null);
    }
    await waitUntil(async () => (await t.http().get(`/api/v1/campaigns/${campaign.slug}/count`)).body.verified === 60);

    // Run again: nothing left to do. The audit log has both runs.
    const again = await runCli(['keys:rotate'], { DATA_KEYS: `${NEW},${OLD}` });
    expect(again.stdout).toMatch(/Re-encrypted 0 signature\(s\)/);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'keys.rotate' AND actor_kind = 'system'`);
    expect(n).toBe(2);
  }, 120000);
});
