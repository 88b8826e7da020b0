import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../modules/campaigns/campaign.entity';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATES = join(__dirname, '../../templates/email');

/**
 * Renders `src/templates/email/<name>.<locale>.{subject,txt,html}.hbs`. Handlebars escapes every
 * `{{value}}` in HTML; the text and subject templates are compiled without escaping (they are not
 * HTML), and the subject is folded to one line so no value can add a header.
 */
@Injectable()
export class MailRenderer {
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();

  private template(file: string, escape: boolean): HandlebarsTemplateDelegate {
    const key = `${file}:${escape}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = Handlebars.compile(readFileSync(join(TEMPLATES, file), 'utf8'), { noEscape: !escape, strict: true });
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  render(name: string, locale: Locale, context: Record<string, unknown>): RenderedMail {
    const subject = this.template(`${name}.${locale}.subject.hbs`, false)(context).replace(/\s+/g, ' ').trim();
    return {
      subject,
      text: this.template(`${name}.${locale}.txt.hbs`, false)(context),
      html: this.template(`${name}.${locale}.html.hbs`, true)(context),
    };
  }
}
