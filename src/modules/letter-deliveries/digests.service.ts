import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { Locale } from '../../common/locale';
import { Environment } from '../../config/environment';
import { csv, csvRows } from '../../common/csv';
import { digestSummary } from './digest-summary';
import { DigestsRepository } from './digests.repository';
import type { LetterDigest } from './letter-send.repository';

/** A digest's body names at most this many supporters; its CSV lists them all. */
const DIGEST_NAMES_IN_BODY = 500;

/** What a digest adds to its letter: a paragraph for the body, and the CSV of its supporters. */
export interface DigestAddition {
  summary: string;
  attachment: { filename: string; contentType: string; content: Readable };
}

/**
 * Digest campaigns: once per LETTER_DIGEST_INTERVAL_HOURS, one letter per target saying who joined
 * since the last one. Cutting the due periods (and their letters) is one SQL statement; this
 * service composes what each digest letter adds.
 */
@Injectable()
export class DigestsService {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly env: Environment,
  ) {}

  /** Cuts the digests that are due (LETTER_DIGEST_INTERVAL_HOURS); their letters then go through dispatch. Returns how many letters. */
  cutDue(): Promise<number> {
    return this.digests.cutDue(this.env.LETTER_DIGEST_INTERVAL_HOURS);
  }

  /**
   * Who signed in the digest's period: how many (`supporters`, all of them), since which day (in
   * `timeZone`), the campaign's `total`, the names (and cities) of those who agreed to be shown —
   * at most DIGEST_NAMES_IN_BODY in the body — and a CSV of those same supporters, all of them
   * (name, city, country: never an email).
   */
  async compose(digest: LetterDigest, locale: Locale, total: number, timeZone: string): Promise<DigestAddition> {
    const named: string[] = [];
    for await (const page of this.digests.supporters(digest.id)) {
      for (const s of page) if (named.length < DIGEST_NAMES_IN_BODY) named.push(s.city ? `${s.name} (${s.city})` : s.name);
      if (named.length >= DIGEST_NAMES_IN_BODY) break;
    }
    const day = digest.periodEnd.toISOString().slice(0, 10);
    return {
      summary: digestSummary(locale, digest.supporters, total, digest.periodStart, named, timeZone),
      attachment: {
        filename: `supporters-${day}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: Readable.from(this.csv(digest)),
      },
    };
  }

  /**
   * The digest's CSV, read a page at a time: the supporters who agreed to be shown (as the body
   * names them), with name, city and country — never an email; a cell that would start a formula
   * is prefixed with `'`. A byte-order mark first, so spreadsheet programs read Arabic names as UTF-8.
   */
  private async *csv(digest: LetterDigest): AsyncGenerator<string> {
    yield '\ufeff' + csv(['name', 'city', 'country'], []);
    for await (const page of this.digests.supporters(digest.id)) {
      yield csvRows(page.map((s) => [s.name, s.city, s.country]));
    }
  }
}
