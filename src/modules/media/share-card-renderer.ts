import { Injectable, Logger } from '@nestjs/common';
import { MediaSettings } from '../../config/environment';
import { chromiumInstalled, printWithChromium } from '../../infra/chromium/chromium';
import { CARD_HEIGHT, CARD_WIDTH } from './share-card';

/**
 * Prints share cards to PNG with Chromium (CHROMIUM_PATH) through playwright-core: the engine that
 * shapes Arabic and lays it out right to left as browsers do. One browser per card, in a child
 * process that ends with it (playwright-core never loads in the worker), closed after:
 * cards are rare (at most one per SHARE_CARD_MIN_SECONDS per campaign), and nothing stays running.
 * When Chromium is missing there are no cards (pages fall back to the photo), said once in the log.
 */
@Injectable()
export class ShareCardRenderer {
  private readonly logger = new Logger(ShareCardRenderer.name);
  private warned = false;

  constructor(private readonly media: MediaSettings) {}

  /** Whether Chromium is there to print with (warns once when it is not). */
  available(): boolean {
    if (chromiumInstalled(this.media.CHROMIUM_PATH)) return true;
    if (!this.warned) {
      this.warned = true;
      this.logger.warn({ chromiumPath: this.media.CHROMIUM_PATH }, 'Chromium not found (CHROMIUM_PATH): no share cards; link previews show the photo');
    }
    return false;
  }

  async render(html: string): Promise<Buffer> {
    // The card's only outside resource is its photo, given inline: every request is refused.
    return printWithChromium(this.media.CHROMIUM_PATH, { kind: 'png', html, width: CARD_WIDTH, height: CARD_HEIGHT, loadTimeoutMs: 20_000 }, 60_000);
  }
}
