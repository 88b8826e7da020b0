import { Injectable, Logger } from '@nestjs/common';
import { MediaSettings } from '../../config/environment';
import { chromiumInstalled, withChromium } from '../../infra/chromium/chromium';
import { CARD_HEIGHT, CARD_WIDTH } from './share-card';

/**
 * Prints share cards to PNG with Chromium (CHROMIUM_PATH) through playwright-core: the engine that
 * shapes Arabic and lays it out right to left as browsers do. One browser per card, closed after:
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
    return withChromium(this.media.CHROMIUM_PATH, async (browser) => {
      const page = await browser.newPage({ viewport: { width: CARD_WIDTH, height: CARD_HEIGHT }, deviceScaleFactor: 1, javaScriptEnabled: false });
      // The card's only outside resource is its photo, given inline: block every request.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load', timeout: 20_000 });
      return page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: CARD_WIDTH, height: CARD_HEIGHT } });
    });
  }
}
