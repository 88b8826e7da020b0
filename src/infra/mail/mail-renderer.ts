import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_LOCALE, formatNumber, plural, type PluralForms } from '../../common/plural';
import type { Locale } from '../../common/locale';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATES = join(__dirname, '../../templates/email');

/**
 * One email rendered once for many recipients: its parts cut where the per-recipient values go.
 * `fill` puts a recipient's values in (escaped in the HTML part as Handlebars escapes them), at the
 * cost of joining a few strings: for a batch email, the template runs once per language.
 */
export interface PreparedMail<K extends string = string> {
  fill(values: Record<K, string>): RenderedMail;
}

/** A rendered part, cut at its holes: literal text at even indexes, hole names at odd ones. */
type CutPart = string[];

/**
 * Counted words the emails use, `{{count "days" n}}`: each language's plural forms (src/common/plural.ts).
 * The Arabic forms follow «لمدة» (genitive): «لمدة يوم واحد», «لمدة يومين», «لمدة ٧ أيام», «لمدة ١١ يوماً».
 */
const COUNTED: Record<string, Record<Locale, PluralForms>> = {
  days: {
    en: { one: '{n} day', other: '{n} days' },
    ar: { one: 'يوم واحد', two: 'يومين', few: '{n} أيام', many: '{n} يوماً', other: '{n} يوم' },
  },
  hours: {
    en: { one: '{n} hour', other: '{n} hours' },
    ar: { one: 'ساعة واحدة', two: 'ساعتين', few: '{n} ساعات', many: '{n} ساعة', other: '{n} ساعة' },
  },
  minutes: {
    en: { one: '{n} minute', other: '{n} minutes' },
    ar: { one: 'دقيقة واحدة', two: 'دقيقتين', few: '{n} دقائق', many: '{n} دقيقة', other: '{n} دقيقة' },
  },
  'new signatures': {
    en: { one: '{n} new signature', other: '{n} new signatures' },
    ar: { zero: 'لا توقيعات جديدة', one: 'توقيع جديد واحد', two: 'توقيعان جديدان', few: '{n} توقيعات جديدة', many: '{n} توقيعاً جديداً', other: '{n} توقيع جديد' },
  },
};

const PERCENT: Record<Locale, Intl.NumberFormat> = {
  ar: new Intl.NumberFormat(FORMAT_LOCALE.ar, { style: 'percent', maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat(FORMAT_LOCALE.en, { style: 'percent', maximumFractionDigits: 1 }),
};
const UTC_TIME: Record<Locale, Intl.DateTimeFormat> = {
  ar: new Intl.DateTimeFormat(FORMAT_LOCALE.ar, { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(FORMAT_LOCALE.en, { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }),
};
const REGIONS: Record<Locale, Intl.DisplayNames> = {
  ar: new Intl.DisplayNames(['ar'], { type: 'region' }),
  en: new Intl.DisplayNames(['en'], { type: 'region' }),
};

/**
 * Renders `src/templates/email/<name>.<locale>.{subject,txt,html}.hbs`. Handlebars escapes every
 * `{{value}}` in HTML; the text and subject templates are compiled without escaping (they are not
 * HTML), and the subject is folded to one line so no value can add a header. Numbers are written
 * as the pages write them (`{{number n}}`, `{{count "days" n}}`, `{{percent 0.62}}`: Arabic-Indic
 * digits in Arabic); `{{utc iso}}` writes a moment as a date and time in UTC, `{{region "IQ"}}` a
 * country's name, each in the email's language.
 */
@Injectable()
export class MailRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();

  constructor() {
    const localeOf = (options: Handlebars.HelperOptions) => (options.data.root as { locale: Locale }).locale;
    this.hbs.registerHelper('number', (n: number, options: Handlebars.HelperOptions) => formatNumber(n, localeOf(options)));
    this.hbs.registerHelper('count', (word: string, n: number, options: Handlebars.HelperOptions) => {
      const forms = COUNTED[word];
      if (!forms) throw new Error(`no counted word ${word}`);
      return plural(n, localeOf(options), forms[localeOf(options)]);
    });
    this.hbs.registerHelper('percent', (share: number, options: Handlebars.HelperOptions) => PERCENT[localeOf(options)].format(share));
    this.hbs.registerHelper('utc', (iso: string, options: Handlebars.HelperOptions) => UTC_TIME[localeOf(options)].format(new Date(iso)));
    this.hbs.registerHelper('region', (code: string, options: Handlebars.HelperOptions) => REGIONS[localeOf(options)].of(code) ?? code);
  }

  private template(file: string, escape: boolean): HandlebarsTemplateDelegate {
    const key = `${file}:${escape}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = this.hbs.compile(readFileSync(join(TEMPLATES, file), 'utf8'), { noEscape: !escape, strict: true });
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  /**
   * Renders `name` once with a placeholder for each per-recipient value: `context(hole)` builds
   * the context with `hole('name')` wherever a recipient's own value goes (e.g. the greeting's name,
   * the unsubscribe link). The template must print each such value as it is — not test it, change
   * it or pass it to a helper — which holds for names and links. `fill` then gives exactly what
   * `render` would with those values.
   */
  prepare<K extends string>(name: string, locale: Locale, context: (hole: (key: K) => string) => Record<string, unknown>): PreparedMail<K> {
    const nonce = randomBytes(9).toString('base64url');
    const marker = (key: string) => `\u0001${nonce}:${key}\u0001`;
    const rendered = this.render(name, locale, context((key) => marker(key)));
    const holes = new RegExp(`\u0001${nonce}:([^\u0001]*)\u0001`);
    const cut = (text: string): CutPart => text.split(holes);
    const subject = cut(rendered.subject);
    const text = cut(rendered.text);
    const html = cut(rendered.html);
    const escape = this.hbs.Utils.escapeExpression;
    const join = (part: CutPart, values: Record<string, string>, transform?: (v: string) => string) => {
      if (part.length === 1) return part[0];
      let out = part[0];
      for (let i = 1; i < part.length; i += 2) {
        const value = values[part[i]];
        if (value === undefined) throw new Error(`no value for ${part[i]} in ${name}`);
        out += (transform ? transform(value) : value) + part[i + 1];
      }
      return out;
    };
    return {
      fill: (values) => ({
        subject: subject.length === 1 ? subject[0] : join(subject, values).replace(/\s+/g, ' ').trim(),
        text: join(text, values),
        html: join(html, values, escape),
      }),
    };
  }

  render(name: string, locale: Locale, context: Record<string, unknown>): RenderedMail {
    const data = { ...context, locale };
    const subject = this.template(`${name}.${locale}.subject.hbs`, false)(data).replace(/\s+/g, ' ').trim();
    return {
      subject,
      text: this.template(`${name}.${locale}.txt.hbs`, false)(data),
      html: this.template(`${name}.${locale}.html.hbs`, true)(data),
    };
  }
}
