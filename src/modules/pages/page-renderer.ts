import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../campaigns/campaign.entity';
import { PAGE_STRINGS } from './page-strings';

const PAGES = join(__dirname, '../../templates/pages');

/** Server-rendered pages from src/templates/pages; every value is HTML-escaped by Handlebars. */
@Injectable()
export class PageRenderer {
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();

  private template(name: string): HandlebarsTemplateDelegate {
    let compiled = this.cache.get(name);
    if (!compiled) {
      compiled = Handlebars.compile(readFileSync(join(PAGES, `${name}.hbs`), 'utf8'), { strict: true });
      this.cache.set(name, compiled);
    }
    return compiled;
  }

  render(name: string, locale: Locale, title: string, context: Record<string, unknown>): string {
    const t = PAGE_STRINGS[locale];
    const content = this.template(name)({ ...context, t });
    return this.template('layout')({ locale, dir: locale === 'ar' ? 'rtl' : 'ltr', title, content });
  }

  strings(locale: Locale): Record<string, string> {
    return PAGE_STRINGS[locale];
  }
}
