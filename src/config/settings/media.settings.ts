import { ChoiceSetting, IntSetting, PatternSetting, TextSetting } from '../setting.decorators';

/** Campaign photos and share cards: upload limits, where files are stored, the card renderer. */
export class MediaSettings {
  /** Largest photo an organiser may upload, in bytes (counted while it streams in; more is refused with 413). */
  @IntSetting({ min: 64 * 1024, max: 64 * 1024 * 1024 }) IMAGE_MAX_BYTES = 8 * 1024 * 1024;

  /** Most pixels (width × height) an uploaded photo may declare: a decompression bomb is refused before it is decoded. */
  @IntSetting({ min: 1_000_000, max: 268_402_689 }) IMAGE_MAX_PIXELS = 50_000_000;

  /** Where photos and cards are kept: `local` (STORAGE_DIR, served by Nida) or `s3` (an S3-compatible bucket). */
  @ChoiceSetting(['local', 's3']) STORAGE_BACKEND: 'local' | 's3' = 'local';

  /** The directory of the local store (created when missing); relative to the working directory. */
  @TextSetting({ minLength: 1 }) STORAGE_DIR = 'storage';

  /** S3: the endpoint (`https://s3.eu-central-1.amazonaws.com`, `https://<account>.r2.cloudflarestorage.com`, a MinIO URL). */
  @PatternSetting(/^https?:\/\/[^\s/]+\/?$/, 'S3_ENDPOINT must be an http(s) origin', { optional: true }) S3_ENDPOINT?: string;

  /** S3: the bucket (path-style addressing: `{S3_ENDPOINT}/{S3_BUCKET}/{key}`). */
  @TextSetting({ optional: true, minLength: 1 }) S3_BUCKET?: string;

  /** S3: the region its signatures name (`us-east-1` for most non-AWS stores, `auto` for R2). */
  @TextSetting({ minLength: 1 }) S3_REGION = 'us-east-1';

  /** S3: the access key id. */
  @TextSetting({ optional: true, minLength: 1 }) S3_ACCESS_KEY_ID?: string;

  /** S3: the secret access key. */
  @TextSetting({ optional: true, minLength: 1, hidden: true }) S3_SECRET_ACCESS_KEY?: string;

  /** S3: the public address of the bucket's files (a CDN or the bucket's public URL), which pages link to. */
  @PatternSetting(/^https?:\/\/\S+$/, 'S3_PUBLIC_URL must be an http(s) URL', { optional: true }) S3_PUBLIC_URL?: string;

  /** A campaign's share card is rendered again at most once in this many seconds. */
  @IntSetting({ min: 1, max: 86400 }) SHARE_CARD_MIN_SECONDS = 300;

  /** How often workers look for campaigns whose share card is out of date (published, retitled, a count milestone), in seconds. */
  @IntSetting({ min: 1, max: 3600 }) SHARE_CARD_SWEEP_SECONDS = 30;

  /** The Chromium that renders share cards; when it is missing, pages fall back to the photo. */
  @TextSetting({ minLength: 1 }) CHROMIUM_PATH = '/usr/bin/chromium';

  /** Dossier PDFs one process prints at once (each is a Chromium); more wait, and past twice this are refused with 503. */
  @IntSetting({ min: 1, max: 32 }) DOSSIER_MAX_CONCURRENT = 2;
}
