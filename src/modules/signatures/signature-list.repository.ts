import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Locale } from '../../common/locale';
import { CURSOR_AT_SQL, KeysetCursor } from '../../common/keyset-cursor';
import { Keyring } from '../../infra/crypto/keyring';
import type { SignatureStatus } from './signature.entity';

/** Which of a campaign's signatures (null: any). */
export interface SignatureFilter {
  status: SignatureStatus | null;
  country: string | null;
  /** created_at ≥ from. */
  from: Date | null;
  /** created_at < to. */
  to: Date | null;
  /** The blind index of an email (BlindIndex.email). */
  emailHash: string | null;
}

/** Whose list: the campaign, the organisation reading it, and whether it sees only those who agreed that it may contact them (a partner). */
export interface SignatureViewer {
  campaignId: string;
  organisationId: string;
  consentedOnly: boolean;
}

/** A signature as organisers see it, its sealed values opened; `email` only with contact consent. */
export interface ListedSignature {
  id: string;
  status: SignatureStatus;
  country: string;
  createdAt: Date;
  verifiedAt: Date | null;
  name: string | null;
  city: string | null;
  comment: string | null;
  showName: boolean;
  contactConsent: boolean;
  replyConsent: boolean;
  locale: Locale;
  heldReason: string | null;
  anonymised: boolean;
  email: string | null;
  /** Its position, for the next page's cursor. */
  cursor: KeysetCursor;
}

interface ListedRow {
  id: string;
  status: SignatureStatus;
  country: string;
  created_at: Date;
  created_at_cursor: string;
  verified_at: Date | null;
  name: string | null;
  city: string | null;
  comment: string | null;
  show_name: boolean;
  contact_consent: boolean;
  reply_consent: boolean;
  locale: Locale;
  held_reason: string | null;
  anonymised: boolean;
  email: string | null;
}

/**
 * Rows a CSV export reads per query (one round trip each; they stay sealed until their chunk is
 * written). A batch lives until its last chunk is written: 1,000 rows lived through young
 * collections and were promoted into the old space a batch at a time, which grew the process by
 * ~13 MB more than 250 rows do over a million (`bash scripts/bench.sh bench/export-only.js`), at
 * the same rate now that a page's query costs the same anywhere in the walk.
 */
export const EXPORT_BATCH = 250;
/**
 * Rows a CSV export opens and writes at a time: small enough that each chunk of text stays a
 * young, ordinary heap object (a string over ~128 KB is allocated straight into V8's old space and
 * only freed by a full collection, which is how a million rows once grew the process past 300 MB).
 */
export const EXPORT_CHUNK = 50;

/** The ids of a first page's start: after every row of its instant, or before every one (`to`, which is excluded). */
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The list's and the export's filter but for the campaign ($1, which each query bounds in its own
 * way): $2 status, $3 country, $4/$5 created from and before, $6 the email's blind index (each null:
 * any); `organisation` the parameter of the organisation reading, `consentedOnly` of whether only
 * those who consented to it.
 */
const FILTER_SQL = (organisation: string, consentedOnly: string) => `(NOT ${consentedOnly}::boolean OR ${organisation}::uuid = ANY(contact_organisation_ids))
          AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR country = $3)
          AND ($4::timestamptz IS NULL OR created_at >= $4)
          AND ($5::timestamptz IS NULL OR created_at < $5)
          AND ($6::text IS NULL OR email_hash = $6)`;

/** What a page of the list or the export reads of each signature ($10: the organisation reading). */
const PAGE_COLUMNS = `id, status, country, created_at, ${CURSOR_AT_SQL('created_at')} AS created_at_cursor, verified_at,
              name, city, comment, show_name, $10::uuid = ANY(contact_organisation_ids) AS contact_consent, reply_consent, locale, held_reason,
              anonymised_at IS NOT NULL AS anonymised,
              CASE WHEN $10::uuid = ANY(contact_organisation_ids) THEN email END AS email`;

/**
 * A page of a campaign's signatures for the list and the export (see SignatureListRepository):
 * $1 the campaign, $2–$6 the filter, $7/$8 the keyset cursor, $9 the limit, $10 the organisation
 * reading, $11 whether only those who consented to it.
 *
 * A page is one range of signatures_campaign_created_idx read backwards, bounded by two row
 * comparisons on the index's leading columns: it starts below ($1, the cursor), or on the first
 * page below ($1, `to`) or after every row of the campaign ('infinity'), and ends at ($1, `from`)
 * or at the campaign's first row ('-infinity'). They are written so because:
 * - Compared as (created_at, id), PostgreSQL could take signatures_recent_idx (created_at alone)
 *   and sort each page's rows of equal created_at (an incremental sort): rows written by one
 *   statement share it, and with 980,000 of them (the benchmark's) a page took ~0.5 s.
 * - Given `campaign_id = $1`, an equality on the index's first column, PostgreSQL (15) starts a
 *   backward scan at the end of the campaign's range and steps over every row newer than the
 *   cursor to reach it: a page cost as much as all the pages before it (60 ms per 1,000 rows
 *   half-way through a million, the export slowing as it went). Without it, the start is the
 *   cursor; ordered by campaign_id first (the same order within one campaign), the index gives
 *   the order with nothing to sort.
 */
export const SIGNATURE_PAGE_SQL = `SELECT ${PAGE_COLUMNS}
         FROM signatures
        WHERE (campaign_id, created_at, id) < ($1, coalesce($7::timestamptz, $5::timestamptz, 'infinity'),
                                               coalesce($8::uuid, CASE WHEN $5::timestamptz IS NULL THEN '${MAX_UUID}'::uuid ELSE '${MIN_UUID}'::uuid END))
          AND (campaign_id, created_at) >= ($1, coalesce($4::timestamptz, '-infinity'))
          AND ${FILTER_SQL('$10', '$11')}
        ORDER BY campaign_id DESC, created_at DESC, id DESC
        LIMIT $9`;

/**
 * The same page when the filter names an email ($6): at most one signature, found by
 * signatures_email_hash_campaign_key (the page's bounds could lead PostgreSQL to walk the
 * campaign instead).
 */
export const SIGNATURE_LOOKUP_SQL = `SELECT ${PAGE_COLUMNS}
         FROM signatures
        WHERE email_hash = $6 AND campaign_id = $1
          AND ${FILTER_SQL('$10', '$11')}
          AND ($7::timestamptz IS NULL OR (created_at, id) < ($7::timestamptz, $8::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $9`;

/**
 * The SQL of the organisers' list and export of a campaign's signatures: newest first, keyset on
 * (created_at, id) through signatures_campaign_created_idx. The sealed email is not even read
 * unless the supporter consented to be contacted by the organisation reading (per-partner consent).
 */
@Injectable()
export class SignatureListRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /** Up to `limit` signatures after `after` (null: from the newest). */
  async page(viewer: SignatureViewer, filter: SignatureFilter, after: KeysetCursor | null, limit: number): Promise<ListedSignature[]> {
    return (await this.rows(viewer, filter, after, limit)).map((r) => this.opened(r));
  }

  /** The same rows as stored (sealed). */
  private rows(viewer: SignatureViewer, filter: SignatureFilter, after: KeysetCursor | null, limit: number): Promise<ListedRow[]> {
    return this.dataSource.query(
      filter.emailHash === null ? SIGNATURE_PAGE_SQL : SIGNATURE_LOOKUP_SQL,
      [
        viewer.campaignId,
        filter.status,
        filter.country,
        filter.from,
        filter.to,
        filter.emailHash,
        after?.at ?? null,
        after?.id ?? null,
        limit,
        viewer.organisationId,
        viewer.consentedOnly,
      ],
    );
  }

  /** How many signatures match (for the export's audit event). */
  async count(viewer: SignatureViewer, filter: SignatureFilter): Promise<number> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n
         FROM signatures
        WHERE campaign_id = $1
          AND ${FILTER_SQL('$7', '$8')}`,
      [viewer.campaignId, filter.status, filter.country, filter.from, filter.to, filter.emailHash, viewer.organisationId, viewer.consentedOnly],
    );
    return n;
  }

  /**
   * Every matching signature, newest first, `batch` rows per query, yielded opened `chunk` rows at
   * a time: a keyset walk rather than one long-lived cursor, so no connection or transaction is held
   * between batches, and a consumer that reads slowly (a client downloading) only delays the next
   * query. Each row is returned once: the keyset is on values that never change; signatures made
   * after the walk began are not in it. Memory holds one batch of sealed rows and one opened chunk.
   */
  async *all(viewer: SignatureViewer, filter: SignatureFilter, batch = EXPORT_BATCH, chunk = EXPORT_CHUNK): AsyncGenerator<ListedSignature[]> {
    let after: KeysetCursor | null = null;
    let rows: ListedRow[] = [];
    do {
      // The batch before is let go before the next query (a generator keeps its variables alive across awaits).
      rows = [];
      rows = await this.rows(viewer, filter, after, batch);
      for (let i = 0; i < rows.length; i += chunk) yield rows.slice(i, i + chunk).map((r) => this.opened(r));
      const last = rows.at(-1);
      after = last ? { at: last.created_at_cursor, id: last.id } : null;
    } while (rows.length === batch);
  }

  private opened(r: ListedRow): ListedSignature {
    return {
      id: r.id,
      status: r.status,
      country: r.country,
      createdAt: r.created_at,
      verifiedAt: r.verified_at,
      name: this.keyring.openOrNull('signature.name', r.name),
      city: this.keyring.openOrNull('signature.city', r.city),
      comment: this.keyring.openOrNull('signature.comment', r.comment),
      showName: r.show_name,
      contactConsent: r.contact_consent,
      replyConsent: r.reply_consent,
      locale: r.locale,
      heldReason: r.held_reason,
      anonymised: r.anonymised,
      email: this.keyring.openOrNull('signature.email', r.email),
      cursor: { at: r.created_at_cursor, id: r.id },
    };
  }
}
