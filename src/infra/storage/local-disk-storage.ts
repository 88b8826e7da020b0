import { mkdirSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MEDIA_KEY, MEDIA_PATH_PREFIX, MediaStorage } from './media-storage';

/**
 * Files in STORAGE_DIR, served by Nida itself under /media/ (see app.factory.ts) with a year's
 * `immutable` cache. Each file is written to a temporary name and renamed, so a reader never sees
 * half a file.
 */
export class LocalDiskStorage extends MediaStorage {
  readonly root: string;

  constructor(dir: string) {
    super();
    this.root = resolve(dir);
    mkdirSync(this.root, { recursive: true });
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    const temporary = join(this.root, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temporary, body, { mode: 0o644 });
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  url(key: string): string {
    return `${MEDIA_PATH_PREFIX}${key}`;
  }

  private path(key: string): string {
    if (!MEDIA_KEY.test(key)) throw new Error(`Not a media key: ${JSON.stringify(key)}`);
    return join(this.root, key);
  }
}
