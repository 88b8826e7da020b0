import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';

/** The flags the browser tests use: no sandbox (containers), nothing that calls home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Whether an executable Chromium is at `path`. */
export function chromiumInstalled(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` with a fresh Chromium (Debian's, at `path`) through playwright-core, closed after:
 * share cards and dossiers are rare, and nothing stays running between them. playwright-core is
 * loaded on first use, not at start: it alone adds about 50 MB to every process's memory.
 */
export async function withChromium<T>(path: string, work: (browser: Browser) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}
