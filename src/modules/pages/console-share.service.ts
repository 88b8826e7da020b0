import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from '../../common/app-error';
import type { Locale } from '../../common/locale';
import { LOCALES, titleIn } from '../../common/locale';
import type { Principal } from '../../common/principal';
import { HttpSettings } from '../../config/environment';
import { CampaignsService } from '../campaigns/campaigns.service';

/** The embed snippet's height in pixels (embed.js resizes its frame; a pasted iframe keeps this). */
export const EMBED_HEIGHT = 560;

export interface ShareView {
  title: string;
  draft: boolean;
  links: { label: string; url: string }[];
  /** The page's language link: the one the QR code holds. */
  url: string;
  embed: string;
  qrSvg: string;
}

/** The QR code of a URL as an SVG document (error correction M, quiet zone of 2 modules). */
export async function qrSvg(url: string): Promise<string> {
  // Loaded with the first Share page, not at start (as sharp is: lazy-sharp.ts).
  const QRCode = await import('qrcode');
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * The console's Share page: a campaign's public links in both languages, the iframe snippet
 * of its embed page and a QR code of its address, rendered server-side. A campaign the caller
 * may not act for, a missing one and a malformed id are all `null` (the page answers 404 alike).
 */
@Injectable()
export class ConsoleShareService {
  private readonly publicUrl: string;

  constructor(
    private readonly campaigns: CampaignsService,
    http: HttpSettings,
  ) {
    this.publicUrl = http.PUBLIC_URL.replace(/\/+$/, '');
  }

  async share(principal: Principal, id: string, locale: Locale): Promise<ShareView | null> {
    const campaign = await this.find(principal, id);
    if (!campaign) return null;
    const slug = encodeURIComponent(campaign.slug);
    const title = titleIn(campaign, locale);
    const links = [
      ...LOCALES.map((l) => ({ label: l, url: `${this.publicUrl}/${l}/c/${slug}` })),
      { label: '', url: `${this.publicUrl}/c/${slug}` },
    ];
    const url = `${this.publicUrl}/${locale}/c/${slug}`;
    const draft = campaign.status === 'draft' || campaign.status === 'in_review';
    return {
      title,
      draft,
      links,
      url,
      embed: embedSnippet(`${this.publicUrl}/${locale}/embed/c/${slug}`, title),
      qrSvg: draft ? '' : await qrSvg(url),
    };
  }

  /** The QR code alone, for download; `null` as for the page, and for a draft (no public address yet). */
  async qr(principal: Principal, id: string, locale: Locale): Promise<string | null> {
    const campaign = await this.find(principal, id);
    if (!campaign || campaign.status === 'draft' || campaign.status === 'in_review') return null;
    return qrSvg(`${this.publicUrl}/${locale}/c/${encodeURIComponent(campaign.slug)}`);
  }

  private async find(principal: Principal, id: string) {
    if (!isUUID(id)) return null;
    try {
      return await this.campaigns.owned(principal, id, 'view');
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }
}

/** The iframe to paste on a partner site (its title escaped for the attribute). */
export function embedSnippet(src: string, title: string): string {
  return `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(title)}" width="100%" height="${EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>`;
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
