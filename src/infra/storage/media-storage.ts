/**
 * Where campaign photos and share cards are kept: one small interface, two backends (local disk,
 * an S3-compatible bucket). Keys are flat, content-hashed file names (`<sha256>-960w.webp`): a
 * key's bytes never change, so what serves them may be cached for a year (`immutable`).
 */
export abstract class MediaStorage {
  /** Stores `body` under `key` (written whole or not at all). */
  abstract put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes `key`; a missing key is not an error. */
  abstract delete(key: string): Promise<void>;
  /** The address pages and the API give for `key`: a path on this site (local) or an absolute URL (S3). */
  abstract url(key: string): string;
}

/** Keys as MediaStorage makes them: a hex hash, a suffix, an extension. Anything else names nothing. */
export const MEDIA_KEY = /^[0-9a-f]{16,64}(?:-[0-9a-z]+)?\.(?:webp|jpg|png)$/;

/** The path under which the local store's files are served. */
export const MEDIA_PATH_PREFIX = '/media/';

export const CONTENT_TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };
