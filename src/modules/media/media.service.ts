import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CommonErrors, ErrorDetail } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import type { Principal } from '../../common/principal';
import { Environment, MediaSettings, publicLink } from '../../config/environment';
import { createProducerQueue } from '../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../infra/queue/queue-names';
import { CONTENT_TYPES, MediaStorage } from '../../infra/storage/media-storage';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { ImageVersion } from './campaign-media.entity';
import type { CampaignMediaDto, PublicImageDto } from './dto/public-image.dto';
import { MediaErrors } from './media.errors';
import { CardSourceRow, MediaRepository } from './media.repository';
import { loadSharp } from './lazy-sharp';
import { processPhoto } from './photo-pipeline';
import { CARD_HEIGHT, CARD_WIDTH, cardAlt, cardFingerprint, cardHtml } from './share-card';
import { ShareCardRenderer } from './share-card-renderer';

/** The texts that come with a photo, as sent (the API's multipart fields, the console's form). */
export interface ImageTexts {
  altAr?: string;
  altEn?: string;
  credit?: string;
}

export const ALT_MAX = 300;
export const CREDIT_MAX = 200;

/**
 * A campaign's photo and its share card. The photo: checked, stripped and resized (photo-pipeline.ts),
 * its versions stored (MediaStorage), the row written, the versions it replaced deleted. The card:
 * a worker job per campaign (jobId `share-card-<id>`, delayed until SHARE_CARD_MIN_SECONDS after the
 * last card) prints it with Chromium; a sweep every SHARE_CARD_SWEEP_SECONDS finds the published
 * campaigns whose card no longer matches what it shows (published, retitled, new photo, a count
 * milestone) from PostgreSQL alone, so a flushed Redis only delays a card.
 */
@Injectable()
export class MediaService implements OnModuleDestroy {
  private readonly logger = new Logger(MediaService.name);
  private producer?: Queue;

  constructor(
    private readonly repo: MediaRepository,
    private readonly campaigns: CampaignsService,
    private readonly storage: MediaStorage,
    private readonly media: MediaSettings,
    private readonly env: Environment,
    private readonly renderer: ShareCardRenderer,
    private readonly audit: AuditService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.producer?.close();
  }

  // ── organisers ────────────────────────────────────────────────────────────

  /** The alt texts and credit checked: each alt text required (1–300 characters), the credit optional (≤ 200). */
  checkTexts(texts: ImageTexts): { alt: Record<Locale, string>; credit: string | null; problems: ErrorDetail[] } {
    const problems: ErrorDetail[] = [];
    const alt = { ar: (texts.altAr ?? '').trim(), en: (texts.altEn ?? '').trim() };
    for (const [locale, field] of [['ar', 'altAr'], ['en', 'altEn']] as const) {
      if (!alt[locale]) problems.push({ field, problems: [`${field} is required: what the photo shows, for people who cannot see it`] });
      else if (alt[locale].length > ALT_MAX) problems.push({ field, problems: [`${field} must be at most ${ALT_MAX} characters`] });
    }
    const credit = (texts.credit ?? '').trim();
    if (credit.length > CREDIT_MAX) problems.push({ field: 'credit', problems: [`credit must be at most ${CREDIT_MAX} characters`] });
    return { alt, credit: credit || null, problems };
  }

  /**
   * Sets the campaign's photo (replacing any): 404/403 as for the campaign, 400 without alt
   * texts or file, 413/415/422 for a file refused (MediaErrors). Nothing is stored on a refusal.
   */
  async setImage(principal: Principal, campaignId: string, file: Buffer | null, texts: ImageTexts, filename = '', ip: string | null = null): Promise<CampaignMediaDto> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    const { alt, credit, problems } = this.checkTexts(texts);
    if (problems.length) throw CommonErrors.validation(problems);
    if (!file) throw MediaErrors.fileMissing();
    const photo = await processPhoto(file, this.media.IMAGE_MAX_PIXELS, filename);
    const versions: ImageVersion[] = [];
    for (const v of photo.versions) {
      const webpKey = `${photo.hash}-${v.width}w.webp`;
      const jpegKey = `${photo.hash}-${v.width}w.jpg`;
      await this.storage.put(webpKey, v.webp, CONTENT_TYPES.webp);
      await this.storage.put(jpegKey, v.jpeg, CONTENT_TYPES.jpg);
      versions.push({ width: v.width, height: v.height, webp: { key: webpKey, bytes: v.webp.length }, jpeg: { key: jpegKey, bytes: v.jpeg.length } });
    }
    const largest = versions[versions.length - 1];
    const replaced = await this.repo.saveImage(campaignId, {
      imageHash: photo.hash,
      imageVersions: versions,
      imageWidth: largest.width,
      imageHeight: largest.height,
      imageColour: photo.colour,
      imageAlt: alt,
      imageCredit: credit,
    });
    await this.deleteVersions(replaced, versions);
    this.logger.log({ campaignId, versions: versions.map((v) => [v.width, v.webp.bytes, v.jpeg.bytes]) }, 'Campaign photo stored');
    await this.audit.record({ actor: principal, action: 'media.photo_set', campaignId, details: { replaced: replaced !== null, width: largest.width, height: largest.height }, ip });
    await this.scheduleCard(campaignId);
    return this.mediaOf(campaignId, true);
  }

  /**
   * Replaces the alt texts and credit of the campaign's photo, keeping its files (the same checks
   * as an upload's): 404/403 as for the campaign, 400 VALIDATION_FAILED, 404 IMAGE_NOT_FOUND when
   * it has no photo. Nothing changes on a refusal.
   */
  async setTexts(principal: Principal, campaignId: string, texts: ImageTexts, ip: string | null = null): Promise<CampaignMediaDto> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    const { alt, credit, problems } = this.checkTexts(texts);
    if (problems.length) throw CommonErrors.validation(problems);
    if (!(await this.repo.updateTexts(campaignId, alt, credit))) throw MediaErrors.noPhoto();
    await this.audit.record({ actor: principal, action: 'media.photo_texts', campaignId, ip });
    return this.mediaOf(campaignId, true);
  }

  /** Removes the campaign's photo and its files (404/403 as for the campaign); removing none is no error. */
  async removeImage(principal: Principal, campaignId: string, ip: string | null = null): Promise<void> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    const removed = await this.repo.clearImage(campaignId);
    await this.deleteVersions(removed, []);
    if (removed) {
      await this.audit.record({ actor: principal, action: 'media.photo_remove', campaignId, ip });
      await this.scheduleCard(campaignId);
    }
  }

  /** The photo and card as organisers see them in the console (any status), after the ownership check. */
  async ownedMedia(principal: Principal, campaignId: string): Promise<CampaignMediaDto> {
    await this.campaigns.owned(principal, campaignId, 'view');
    return this.mediaOf(campaignId, false);
  }

  private async deleteVersions(old: ImageVersion[] | null, kept: ImageVersion[]): Promise<void> {
    if (!old) return;
    const keep = new Set(kept.flatMap((v) => [v.webp.key, v.jpeg.key]));
    for (const key of old.flatMap((v) => [v.webp.key, v.jpeg.key])) {
      if (keep.has(key)) continue;
      try {
        await this.storage.delete(key);
      } catch (error) {
        this.logger.warn({ err: { type: (error as Error).name }, key }, 'Could not delete a replaced photo file');
      }
    }
  }

  // ── public ────────────────────────────────────────────────────────────────

  /**
   * A campaign's photo and card as the public sees them: `absolute` URLs for the API (PUBLIC_URL
   * before local paths), paths for the pages. No card while none was rendered.
   */
  async mediaOf(campaignId: string, absolute: boolean): Promise<CampaignMediaDto> {
    const row = await this.repo.find(campaignId);
    if (!row) return { image: null, shareCard: null };
    const url = (key: string) => {
      const u = this.storage.url(key);
      return absolute && u.startsWith('/') ? publicLink(this.env.http, u) : u;
    };
    let image: PublicImageDto | null = null;
    if (row.imageVersions && row.imageWidth && row.imageHeight && row.imageColour) {
      image = {
        width: row.imageWidth,
        height: row.imageHeight,
        colour: row.imageColour,
        alt: { ar: row.imageAlt.ar ?? '', en: row.imageAlt.en ?? '' },
        credit: row.imageCredit,
        versions: row.imageVersions.map((v) => ({
          width: v.width,
          height: v.height,
          webp: url(v.webp.key),
          jpeg: url(v.jpeg.key),
          webpBytes: v.webp.bytes,
          jpegBytes: v.jpeg.bytes,
        })),
      };
    }
    const shareCard = row.cardKey ? { url: url(row.cardKey), width: CARD_WIDTH, height: CARD_HEIGHT, alt: '' } : null;
    if (shareCard) {
      const [source] = await this.repo.cardSources(campaignId);
      shareCard.alt = source ? cardAlt(source) : '';
    }
    return { image, shareCard };
  }

  // ── share cards (workers) ─────────────────────────────────────────────────

  /** Queues the campaign's card, no sooner than SHARE_CARD_MIN_SECONDS after its last one; a card already queued stays as it is. */
  async scheduleCard(campaignId: string, renderedAt?: Date | null): Promise<void> {
    if (!this.renderer.available()) return;
    if (renderedAt === undefined) renderedAt = (await this.repo.find(campaignId))?.cardRenderedAt ?? null;
    const delay = renderedAt ? Math.max(0, renderedAt.getTime() + this.media.SHARE_CARD_MIN_SECONDS * 1000 - Date.now()) : 0;
    try {
      this.producer ??= createProducerQueue(QueueName.Media, this.env);
      await this.producer.add(
        JobName.ShareCardRender,
        { campaignId },
        { jobId: `share-card-${campaignId}`, delay, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: true },
      );
    } catch (error) {
      // Redis away: the sweep queues it once Redis is back.
      this.logger.warn({ err: { type: (error as Error).name }, campaignId }, 'Could not queue a share card');
    }
  }

  /** Queues a card for every published campaign whose card is missing or out of date. Answers how many. */
  async sweepCards(): Promise<number> {
    if (!this.renderer.available()) return 0;
    let queued = 0;
    for (const source of await this.repo.cardSources()) {
      if (source.cardKey && source.cardFingerprint === cardFingerprint(source)) continue;
      await this.scheduleCard(source.campaignId, source.cardRenderedAt);
      queued++;
    }
    return queued;
  }

  /**
   * Prints the campaign's card from what it shows now and stores it; the card it replaces is
   * deleted. Nothing when the campaign is not published, the card is up to date, or no Chromium.
   */
  async renderCard(campaignId: string): Promise<{ rendered: boolean; bytes?: number }> {
    if (!this.renderer.available()) return { rendered: false };
    const [source] = await this.repo.cardSources(campaignId);
    if (!source) return { rendered: false };
    const fingerprint = cardFingerprint(source);
    if (source.cardKey && source.cardFingerprint === fingerprint) return { rendered: false };
    const printed = await this.renderer.render(cardHtml(source, await this.photoDataUri(source)));
    // Chromium's PNG of a photo is ~600 KB; a 256-colour PNG with dithering is a third of it,
    // under the ~300 KB messaging apps accept for a large preview, with no visible loss at card size.
    const sharp = await loadSharp();
    const png = await sharp(printed).png({ palette: true, quality: 85, effort: 4, compressionLevel: 9 }).toBuffer();
    const key = `${fingerprint}-card.png`;
    await this.storage.put(key, png, CONTENT_TYPES.png);
    const old = await this.repo.saveCard(campaignId, key, fingerprint);
    if (old && old !== key) await this.storage.delete(old).catch(() => undefined);
    this.logger.log({ campaignId, bytes: png.length }, 'Share card rendered');
    return { rendered: true, bytes: png.length };
  }

  /** The photo's 960-wide JPEG (or the largest below it) inline, for the card. */
  private async photoDataUri(source: CardSourceRow): Promise<string | null> {
    const versions = source.imageVersions ?? [];
    const version = [...versions].reverse().find((v) => v.width <= 960) ?? versions[0];
    if (!version) return null;
    const bytes = await this.storage.get(version.jpeg.key);
    return bytes ? `data:image/jpeg;base64,${bytes.toString('base64')}` : null;
  }
}
