import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Environment } from '../../config/environment';
import { LOCALES, type Locale } from '../../common/locale';
import { FORMAT_LOCALE, PAGE_STRINGS, type PageStrings } from './page-strings';

const PAGES = join(__dirname, '../../templates/pages');
export const STATIC_ROOT = join(__dirname, '../../templates/static');

/** What every page's frame needs besides its content. */
export interface PageFrame {
  locale: Locale;
  title: string;
  /** The same page in each language (switch links); the current one is marked. */
  alternates: Partial<Record<Locale, string>>;
  /** Campaign pages: the slug whose count the script refreshes. */
  slug?: string;
  /** Embeds use a compact frame without the site header. */
  embed?: boolean;
  /** What link previews (messaging apps, social sites) show: description and canonical address. */
  preview?: { description: string; url: string; image?: { url: string; width: number; height: number; alt: string; type: string } | null };
  /** Extra stylesheets and scripts (static file names), after the site's own: the console's pages. */
  styles?: string[];
  scripts?: string[];
}

/**
 * Server-rendered pages from src/templates/pages; every value is HTML-escaped by Handlebars (only
 * `{{{…}}}` does not escape, and only for HTML this code built). Static assets are addressed with
 * a hash of their content, so they can be cached for a year.
 */
@Injectable()
export class PageRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();
  private readonly assets = new Map<string, string>();

  constructor(private readonly env: Environment) {
    for (const file of readdirSync(PAGES).filter((f) => f.startsWith('_') && f.endsWith('.hbs'))) {
      this.hbs.registerPartial(file.slice(1, -4), readFileSync(join(PAGES, file), 'utf8'));
    }
    for (const file of readdirSync(STATIC_ROOT)) {
      const hash = createHash('sha256').update(readFileSync(join(STATIC_ROOT, file))).digest('hex').slice(0, 12);
      this.assets.set(file, `/static/${file}?v=${hash}`);
    }
  }

  private template(name: string): HandlebarsTemplateDelegate {
    let compiled = this.cache.get(name);
    if (!compiled) {
      compiled = this.hbs.compile(readFileSync(join(PAGES, `${name}.hbs`), 'utf8'), { strict: true });
      this.cache.set(name, compiled);
    }
    return compiled;
  }

  /** The address of a static asset, with its content hash. */
  asset(file: string): string {
    const url = this.assets.get(file);
    if (!url) throw new Error(`no static asset ${file}`);
    return url;
  }

  /**
   * A page's content without the frame, as `render` puts it inside `<main>`: for a page shown
   * inside another (the console's preview of a campaign's public page).
   */
  content(name: string, locale: Locale, context: Record<string, unknown>): string {
    return this.template(name)({ ...context, t: PAGE_STRINGS[locale], locale });
  }

  render(name: string, frame: PageFrame, context: Record<string, unknown>): string {
    const t = PAGE_STRINGS[frame.locale];
    const content = this.content(name, frame.locale, context);
    const switches = LOCALES.filter((l) => frame.alternates[l]).map((l) => ({
      locale: l,
      href: frame.alternates[l],
      name: PAGE_STRINGS[l].languageName,
      current: l === frame.locale,
    }));
    return this.template('layout')({
      locale: frame.locale,
      dir: dirOf(frame.locale),
      title: frame.title,
      t,
      content,
      switches,
      embed: frame.embed ?? false,
      slug: frame.slug ?? '',
      preview: frame.preview ?? null,
      numberLocale: FORMAT_LOCALE[frame.locale],
      pollMs: this.env.PAGE_POLL_MS,
      stylesheet: this.asset('nida.css'),
      script: this.asset('nida.js'),
      styles: (frame.styles ?? []).map((f) => this.asset(f)),
      scripts: (frame.scripts ?? []).map((f) => this.asset(f)),
    });
  }

  strings(locale: Locale): PageStrings {
    return PAGE_STRINGS[locale];
  }
}

export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}
