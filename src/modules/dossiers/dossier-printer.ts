import { Injectable } from '@nestjs/common';
import { MediaSettings } from '../../config/environment';
import { chromiumInstalled, printWithChromium } from '../../infra/chromium/chromium';
import { DossierErrors } from './dossiers.errors';

/**
 * Prints a dossier's HTML to PDF with Chromium (CHROMIUM_PATH, in a child process, as share cards are):
 * the engine shapes Arabic and lays it out right to left, and its PDF carries the text in logical
 * order for readers and for extraction. At most DOSSIER_MAX_CONCURRENT prints at once in this
 * process (each is a browser); as many more wait their turn; past that, PDF_ENGINE_BUSY (503).
 */
@Injectable()
export class DossierPrinter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly media: MediaSettings) {}

  /** Throws PDF_ENGINE_UNAVAILABLE (503) when there is no Chromium at CHROMIUM_PATH. */
  assertAvailable(): void {
    if (!chromiumInstalled(this.media.CHROMIUM_PATH)) throw DossierErrors.engineUnavailable();
  }

  async print(html: string): Promise<Buffer> {
    this.assertAvailable();
    await this.acquire();
    try {
      // Everything is inline: no request leaves the page.
      return await printWithChromium(this.media.CHROMIUM_PATH, { kind: 'pdf', html, loadTimeoutMs: 60_000, printTimeoutMs: 120_000 });
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    const max = this.media.DOSSIER_MAX_CONCURRENT;
    if (this.running < max) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= max) return Promise.reject(DossierErrors.engineBusy());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
