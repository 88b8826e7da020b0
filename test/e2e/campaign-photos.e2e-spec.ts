import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLiveCampaign, createOrganiserWithOrganisation, createCampaign, OrganiserLogin } from '../support/factories';
import { exifHasGps, jpegWithGps, metadataBlocks, png, pngClaiming } from '../support/photos';
import { createTestApp, TestApp } from '../support/test-app';

const MAX_BYTES = 3 * 1024 * 1024;
const ALT = { altAr: 'صورة سليم راضي أمام بيته في البصرة', altEn: 'Salim Radhi in front of his house in Basra' };

/**
 * A campaign's photo through the API: what is stored and served (resized WebP and JPEG, no
 * metadata at all, cached for a year), what is refused (not an image, too large — also when
 * streamed without a length —, too many pixels, damaged) with nothing stored, who may do it, and
 * how the public API and page show it. Chromium is off here (no share cards): og:image falls back
 * to the photo.
 */
describe('campaign photos (e2e)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let other: OrganiserLogin;
  let storageDir: string;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'nida-photos-'));
    t = await createTestApp({ STORAGE_DIR: storageDir, IMAGE_MAX_BYTES: String(MAX_BYTES), IMAGE_MAX_PIXELS: '40000000' });
    org = await createOrganiserWithOrganisation(t, 'تحالف البصرة');
    other = await createOrganiserWithOrganisation(t, 'Another coalition');
  }, 60000);

  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const stored = () => readdirSync(storageDir).sort();
  const rows = async (campaignId: string) =>
    (await t.db.query('SELECT count(*)::int AS n FROM campaign_media WHERE campaign_id = $1 AND image_hash IS NOT NULL', [campaignId]))[0].n as number;

  function put(campaignId: string, file: Buffer | null, filename: string, fields: Record<string, string> = ALT, token = org.token) {
    const req = t.http().put(`/api/v1/campaigns/${campaignId}/image`).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(fields)) void req.field(name, value);
    if (file) void req.attach('image', file, { filename, contentType: 'application/octet-stream' });
    return req;
  }

  it('stores a JPEG carrying GPS EXIF, ICC and XMP as 480/960/1600-wide WebP and JPEG with no metadata, served for a year', async () => {
    const campaign = await createLiveCampaign(t, org.token, { locale: 'ar', title: 'أين سليم راضي؟', summary: 'اختفى المدافع عن البيئة.', body: 'نص.' });
    const photo = await jpegWithGps(2000, 1500);
    const input = await sharp(photo).metadata();
    expect([exifHasGps(input.exif), !!input.icc, !!input.xmp]).toEqual([true, true, true]);

    const res = await put(campaign.id, photo, 'basra.jpg', { ...ALT, credit: 'Layla H.' }).expect(200);
    expect(res.body.image.versions.map((v: { width: number }) => v.width)).toEqual([480, 960, 1600]);
    expect(res.body.image).toMatchObject({ width: 1600, height: 1200, alt: { ar: ALT.altAr, en: ALT.altEn }, credit: 'Layla H.' });
    expect(res.body.image.colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(stored()).toHaveLength(6);
    expect(await rows(campaign.id)).toBe(1);

    const sizes: Record<string, number> = {};
    for (const v of res.body.image.versions) {
      for (const [format, url] of [['webp', v.webp], ['jpeg', v.jpeg]] as const) {
        expect(url).toMatch(/^http:\/\/nida\.test\/media\/[0-9a-f]{32}-\d+w\.(webp|jpg)$/);
        const served = await t.http().get(new URL(url).pathname).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        }).expect(200);
        expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(served.headers['content-type']).toBe(format === 'webp' ? 'image/webp' : 'image/jpeg');
        const body = served.body as Buffer;
        const meta = await sharp(body).metadata();
        expect([url, meta.format, meta.width, await metadataBlocks(body)]).toEqual([url, format, v.width, []]);
        sizes[`${v.width}.${format}`] = body.length;
      }
    }
    // The phone's version stays light.
    expect(sizes['480.webp']).toBeLessThanOrEqual(40 * 1024);
    expect(sizes['480.jpeg']).toBeLessThanOrEqual(40 * 1024);
    console.log('photo version sizes (bytes):', JSON.stringify(sizes));

    // Every file on disk is one of those: nothing as uploaded.
    for (const name of stored()) expect(await metadataBlocks(readFileSync(join(storageDir, name)))).toEqual([]);

    // The public API shows it; the page shows it with srcset, sizes, width and height, and og:image falls back to it.
    const pub = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(pub.body.image).toEqual(res.body.image);
    expect(pub.body.shareCard).toBeNull();
    const page = await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(page.text).toMatch(/<picture><source media="\(max-width: 30rem\)" type="image\/webp" srcset="\/media\/[0-9a-f]{32}-480w\.webp">/);
    expect(page.text).toMatch(/<source type="image\/webp" srcset="[^"]+ 480w, [^"]+ 960w, [^"]+ 1600w" sizes="\(min-width: 44rem\) 42rem, calc\(100vw - 2rem\)">/);
    expect(page.text).toMatch(/<img src="\/media\/[0-9a-f]{32}-960w\.jpg" srcset="[^"]+ 480w, [^"]+ 960w, [^"]+ 1600w" sizes="[^"]+" width="1600" height="1200" alt="صورة سليم راضي أمام بيته في البصرة"/);
    expect(page.text).not.toContain('loading="lazy"');
    expect(page.text).toMatch(/<rect width="100%" height="100%" fill="#[0-9a-f]{6}"\/>/);
    expect(page.text).toContain('<bdi>Layla H.</bdi>');
    expect(page.text).toMatch(/<meta property="og:image" content="http:\/\/nida\.test\/media\/[0-9a-f]{32}-1600w\.jpg">/);
    expect(page.text).toContain('<meta property="og:image:width" content="1600">');
    expect(page.text).toContain('<meta name="twitter:card" content="summary_large_image">');
    const en = await t.http().get(`/en/c/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(en.text).toContain(`alt="${ALT.altEn}"`);
    expect(en.text).toContain(`<meta property="og:image:alt" content="${ALT.altEn}">`);

    // Replacing it deletes the old files; removing it deletes the rest and the page is as before.
    const again = await put(campaign.id, await jpegWithGps(1000, 800), 'second.jpg').expect(200);
    expect(again.body.image.versions.map((v: { width: number }) => v.width)).toEqual([480, 960, 1000]);
    expect(stored()).toHaveLength(6);
    await t.http().get(new URL(res.body.image.versions[0].webp).pathname).expect(404);
    await t.http().delete(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${org.token}`).expect(204);
    expect(stored()).toEqual([]);
    expect(await rows(campaign.id)).toBe(0);
    const bare = await t.http().get(`/ar/c/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(bare.text).not.toContain('<picture>');
    expect(bare.text).not.toContain('og:image');
    await t.http().delete(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${org.token}`).expect(204);
  }, 60000);

  it('reads the type from the bytes, never the name: a PNG with any other name is taken as the PNG it is', async () => {
    const campaign = await createCampaign(t, org.token);
    const res = await put(campaign.id, await png(800, 600), 'holiday-photo').expect(200);
    expect(res.body.image.versions.map((v: { width: number }) => v.width)).toEqual([480, 800]);
    await t.http().delete(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${org.token}`).expect(204);
    expect(stored()).toEqual([]);
  });

  it('refuses what is not a photo, too large, a decompression bomb or damaged: a clear 4xx, nothing stored', async () => {
    const campaign = await createCampaign(t, org.token);
    const jpeg = await jpegWithGps(1200, 900);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><script>alert(1)</script><rect width="800" height="600"/></svg>');
    const cases: [string, Buffer, string, number, string][] = [
      ['an SVG', svg, 'photo.svg', 415, 'IMAGE_TYPE_UNSUPPORTED'],
      ['an SVG named .jpg', svg, 'photo.jpg', 415, 'IMAGE_TYPE_UNSUPPORTED'],
      ['a PNG renamed .jpg', await png(800, 600), 'holiday.jpg', 415, 'IMAGE_TYPE_MISMATCH'],
      ['a JPEG renamed .webp', jpeg, 'holiday.WEBP', 415, 'IMAGE_TYPE_MISMATCH'],
      ['a text file', Buffer.from('just some text, not an image\n'.repeat(50)), 'notes.png', 415, 'IMAGE_TYPE_UNSUPPORTED'],
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'a.gif', 415, 'IMAGE_TYPE_UNSUPPORTED'],
      ['a 20,000 × 20,000 PNG (header)', pngClaiming(20000, 20000), 'bomb.png', 422, 'IMAGE_TOO_MANY_PIXELS'],
      ['a truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg', 422, 'IMAGE_UNREADABLE'],
      ['a JPEG header and noise', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)]), 'noise.jpg', 422, 'IMAGE_UNREADABLE'],
      ['over IMAGE_MAX_BYTES', Buffer.concat([jpeg, Buffer.alloc(MAX_BYTES, 1)]), 'big.jpg', 413, 'IMAGE_TOO_LARGE'],
      ['a tiny image', await png(50, 50), 'dot.png', 422, 'IMAGE_TOO_SMALL'],
    ];
    const before = stored();
    for (const [label, file, name, status, code] of cases) {
      const res = await put(campaign.id, file, name);
      expect([label, res.status, res.body.code]).toEqual([label, status, code]);
      expect([label, stored()]).toEqual([label, before]);
    }
    expect(await rows(campaign.id)).toBe(0);
  }, 60000);

  it('refuses a file that streams past the limit without a Content-Length (413, read no further)', async () => {
    const campaign = await createCampaign(t, org.token);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const boundary = 'nida-boundary-7';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="altAr"\r\n\r\n${ALT.altAr}\r\n--${boundary}\r\nContent-Disposition: form-data; name="altEn"\r\n\r\n${ALT.altEn}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const result = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'PUT', path: `/api/v1/campaigns/${campaign.id}/image`, agent: false, headers: { connection: 'close', authorization: `Bearer ${org.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
        },
      );
      req.on('error', reject);
      req.write(Buffer.concat([head, Buffer.from([0xff, 0xd8, 0xff, 0xe0])]));
      const chunk = Buffer.alloc(64 * 1024, 3);
      let left = 96; // 6 MiB, past the 3 MiB limit
      const pump = () => {
        while (left > 0) {
          left--;
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).code).toBe('IMAGE_TOO_LARGE');
    expect(stored()).toEqual([]);
  }, 60000);

  it('wants both alt texts and a file, answers 401 without a token, 403 to another organisation, 404 for an unknown or malformed id, 415 for JSON', async () => {
    const campaign = await createCampaign(t, org.token);
    const photo = await png(400, 300);
    const missing = await put(campaign.id, photo, 'p.png', { altAr: '  ', credit: 'x'.repeat(201) }).expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['altAr', 'altEn', 'credit']);
    expect((await put(campaign.id, null, '').expect(400)).body.code).toBe('IMAGE_FILE_MISSING');
    expect((await put(campaign.id, photo, 'p.png', { ...ALT, altEn: 'a\u0000b' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await t.http().put(`/api/v1/campaigns/${campaign.id}/image`).attach('image', photo, 'p.png').expect(401);
    expect((await put(campaign.id, photo, 'p.png', ALT, other.token).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
    await t.http().delete(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${other.token}`).expect(403);
    await put('00000000-0000-4000-8000-000000000000', photo, 'p.png').expect(404);
    await put('not-a-uuid', photo, 'p.png').expect(404);
    const json = await t.http().put(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${org.token}`).send({ image: 'x' }).expect(415);
    expect(json.body.code).toBe('IMAGE_NOT_MULTIPART');
    const two = t.http().put(`/api/v1/campaigns/${campaign.id}/image`).set('Authorization', `Bearer ${org.token}`).field('altAr', 'a').field('altEn', 'b');
    expect((await two.attach('image', photo, 'a.png').attach('other', photo, 'b.png')).status).toBe(400);
    expect(stored()).toEqual([]);
    expect(await rows(campaign.id)).toBe(0);
    // /media/ names only what Nida stored.
    await t.http().get('/media/..%2f..%2fetc%2fpasswd').expect(404);
    await t.http().get('/media/0123456789abcdef0123456789abcdef-480w.webp').expect(404);
  }, 30000);

  it('PATCH replaces the alt texts and credit and keeps the files; 400, 401, 403 and 404 (IMAGE_NOT_FOUND without a photo) change nothing', async () => {
    const campaign = await createLiveCampaign(t, org.token);
    const patch = (body: unknown, token = org.token, id = campaign.id) =>
      t.http().patch(`/api/v1/campaigns/${id}/image`).set('Authorization', `Bearer ${token}`).send(body as object);
    expect((await patch({ ...ALT }).expect(404)).body.code).toBe('IMAGE_NOT_FOUND');
    await put(campaign.id, await png(400, 300), 'p.png', { ...ALT, credit: 'Layla H.' }).expect(200);
    const files = stored();
    const texts = { altAr: 'سليم راضي في قاربه في الأهوار', altEn: 'Salim Radhi in his boat in the marshes', credit: 'Noor A.' };
    const changed = await patch(texts).expect(200);
    expect(changed.body.image.alt).toEqual({ ar: texts.altAr, en: texts.altEn });
    expect(changed.body.image.credit).toBe('Noor A.');
    expect(stored()).toEqual(files);
    const pub = await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200);
    expect([pub.body.image.alt, pub.body.image.credit]).toEqual([{ ar: texts.altAr, en: texts.altEn }, 'Noor A.']);
    const [audit] = await t.db.query(`SELECT action FROM audit_events WHERE campaign_id = $1 AND action = 'media.photo_texts'`, [campaign.id]);
    expect(audit).toEqual({ action: 'media.photo_texts' });
    // No credit: removed.
    expect((await patch({ altAr: texts.altAr, altEn: texts.altEn }).expect(200)).body.image.credit).toBeNull();
    // Refused: nothing changes.
    const refused: [unknown, number, string][] = [
      [{ altAr: ' ', altEn: 'x'.repeat(301), credit: 'y'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      [{ altAr: 'a' }, 400, 'VALIDATION_FAILED'],
      [{ altAr: 1, altEn: ['b'] }, 400, 'VALIDATION_FAILED'],
      [{ ...ALT, extra: true }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refused) expect([body, (await patch(body).expect(status)).body.code]).toEqual([body, code]);
    expect((await patch({ ...ALT }, other.token).expect(403)).body.code).toBe('CAMPAIGN_FORBIDDEN');
    await t.http().patch(`/api/v1/campaigns/${campaign.id}/image`).send({ ...ALT }).expect(401);
    await patch({ ...ALT }, org.token, '00000000-0000-4000-8000-000000000000').expect(404);
    await patch({ ...ALT }, org.token, 'not-a-uuid').expect(404);
    const after = await t.http().get(`/api/v1/campaigns/${campaign.slug}`).expect(200);
    expect([after.body.image.alt, after.body.image.credit]).toEqual([{ ar: texts.altAr, en: texts.altEn }, null]);
    expect(stored()).toEqual(files);
  }, 30000);
});
