import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createCampaign, createLiveCampaign, createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { jpegWithGps, metadataBlocks } from '../support/photos';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const RESULTS = join(__dirname, '../../test-results');
const MIN_SECONDS = 4;

/**
 * Share cards rendered for real: Debian's Chromium prints them in the worker job the sweep queues;
 * the public pages in both languages give the card as og:image and twitter:image with its size and
 * alt; a change of title renders it again, never sooner than SHARE_CARD_MIN_SECONDS after the last.
 */
describe('share cards (e2e, real Chromium)', () => {
  let t: TestApp;
  let org: OrganiserLogin;
  let storageDir: string;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'nida-cards-'));
    t = await createTestApp({ STORAGE_DIR: storageDir, CHROMIUM_PATH: '/usr/bin/chromium', SHARE_CARD_MIN_SECONDS: String(MIN_SECONDS), SHARE_CARD_SWEEP_SECONDS: '1' });
    org = await createOrganiserWithOrganisation(t, 'تحالف الدفاع عن المدافعين');
  }, 60000);

  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const binary = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    req.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

  /** The page's og tags, once its og:image is a card (a PNG). */
  async function cardTags(path: string, notUrl?: string) {
    const found = await waitUntil(
      async () => {
        const page = await t.http().get(path);
        const meta = (p: string) => new RegExp(`<meta (?:property|name)="${p}" content="([^"]*)">`).exec(page.text)?.[1];
        const image = meta('og:image');
        return image?.endsWith('-card.png') && image !== notUrl
          ? { image, width: meta('og:image:width'), height: meta('og:image:height'), alt: meta('og:image:alt'), type: meta('og:image:type'), twitter: meta('twitter:image'), card: meta('twitter:card') }
          : null;
      },
      60000,
      250,
    );
    return found!;
  }

  it('renders a 1200 × 630 PNG card on publish, served as og:image on the Arabic and English pages, and again after a new title — not sooner than SHARE_CARD_MIN_SECONDS', async () => {
    const campaign = await createCampaign(t, org.token, {
      kind: 'urgent_action',
      locale: 'ar',
      title: 'أين سليم راضي؟ أطلقوا سراح المدافع عن الأهوار',
      summary: 'اختفى سليم راضي منذ ثلاثة أسابيع.',
      body: 'نص الحملة.',
      translations: { en: { title: 'Where is Salim Radhi?', summary: 'Salim Radhi disappeared three weeks ago.', body: 'Text.' } },
    });
    await t
      .http()
      .put(`/api/v1/campaigns/${campaign.id}/image`)
      .set('Authorization', `Bearer ${org.token}`)
      .field('altAr', 'سليم راضي في قارب في الأهوار')
      .field('altEn', 'Salim Radhi in a boat in the marshes')
      .attach('image', await jpegWithGps(1600, 1100), 'salim.jpg')
      .expect(200);
    // A draft has no card (nothing public to preview).
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.db.query('SELECT card_key FROM campaign_media WHERE campaign_id = $1', [campaign.id]))[0].card_key).toBeNull();

    await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set('Authorization', `Bearer ${org.token}`).expect(200);
    const ar = await cardTags(`/ar/c/${encodeURIComponent(campaign.slug)}`);
    expect(ar).toMatchObject({ width: '1200', height: '630', type: 'image/png', card: 'summary_large_image', twitter: ar.image });
    expect(ar.alt).toContain('أين سليم راضي؟');
    expect(ar.image).toMatch(/^http:\/\/nida\.test\/media\/[0-9a-f]{32}-card\.png$/);
    const en = await cardTags(`/en/c/${encodeURIComponent(campaign.slug)}`);
    expect(en.image).toBe(ar.image);

    const served = await binary(t.http().get(new URL(ar.image).pathname)).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const png = served.body as Buffer;
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
    // Messaging apps show a large preview only for an image of about 300 KB or less.
    expect(png.length).toBeLessThan(300 * 1024);
    expect(await metadataBlocks(png)).toEqual([]);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'share-card-ar.png'), png);
    const api = await t.http().get(`/api/v1/campaigns/${encodeURIComponent(campaign.slug)}`).expect(200);
    expect(api.body.shareCard).toMatchObject({ url: ar.image, width: 1200, height: 630 });

    const [first] = await t.db.query('SELECT card_rendered_at AS at FROM campaign_media WHERE campaign_id = $1', [campaign.id]);
    await t.http().patch(`/api/v1/campaigns/${campaign.id}`).set('Authorization', `Bearer ${org.token}`).send({ title: 'أين سليم راضي؟' }).expect(200);
    const again = await cardTags(`/ar/c/${encodeURIComponent(campaign.slug)}`, ar.image);
    const [second] = await t.db.query('SELECT card_rendered_at AS at FROM campaign_media WHERE campaign_id = $1', [campaign.id]);
    expect(new Date(second.at).getTime() - new Date(first.at).getTime()).toBeGreaterThanOrEqual(MIN_SECONDS * 1000);
    // The card it replaced is gone.
    await t.http().get(new URL(ar.image).pathname).expect(404);
    writeFileSync(join(RESULTS, 'share-card-ar-retitled.png'), (await binary(t.http().get(new URL(again.image).pathname)).expect(200)).body as Buffer);
  }, 120000);

  it('renders an English campaign without a photo on its own, left to right', async () => {
    const campaign = await createLiveCampaign(t, org.token, { locale: 'en', title: 'Free the marshes defenders', summary: 'Three defenders are held without charge.', body: 'Text.' });
    const en = await cardTags(`/en/c/${encodeURIComponent(campaign.slug)}`);
    const png = (await binary(t.http().get(new URL(en.image).pathname)).expect(200)).body as Buffer;
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
    writeFileSync(join(RESULTS, 'share-card-en.png'), png);
  }, 90000);
});
