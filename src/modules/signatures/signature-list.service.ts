import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { CommonErrors } from '../../common/app-error';
import { attachment } from '../../common/content-disposition';
import { csvRows } from '../../common/csv';
import { instantOf } from '../../common/instant';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import { Principal } from '../../common/principal';
import { BlindIndex } from '../../infra/crypto/blind-index';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { ListSignaturesQueryDto } from './dto/list-signatures-query.dto';
import type { SignatureFiltersQueryDto } from './dto/signature-filters-query.dto';
import { SignatureListItemDto, SignatureListResponseDto } from './dto/signature-list-response.dto';
import { ListedSignature, SignatureFilter, SignatureListRepository, SignatureViewer as ListViewer } from './signature-list.repository';
import type { CampaignAccess } from '../campaigns/dto/campaign-access.dto';

type SignatureViewer = ListViewer & { campaign: CampaignAccess['campaign'] };

/** The export's columns, in order: the list's fields by their API names (English, stable for scripts). */
export const EXPORT_COLUMNS = [
  'id',
  'status',
  'country',
  'createdAt',
  'verifiedAt',
  'name',
  'city',
  'comment',
  'showName',
  'contactConsent',
  'replyConsent',
  'locale',
  'heldReason',
  'anonymised',
  'email',
] as const satisfies readonly (keyof SignatureListItemDto)[];

/** Chunks of text (EXPORT_CHUNK rows each) the export keeps ready ahead of a client that reads slower than it is written. */
const EXPORT_BUFFERED_CHUNKS = 8;

/** A CSV export ready to stream: the file name and its body (UTF-8, BOM first, CRLF lines). */
export interface SignatureExport {
  filename: string;
  body: Readable;
}

/**
 * Sends an export as the reply (the API's route and the console's alike): CSV headers, the file
 * name, and the body piped with backpressure (the next batch is read only as the client takes the last).
 */
export async function sendCsv(reply: FastifyReply, file: SignatureExport): Promise<void> {
  await reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', attachment(file.filename))
    .header('Cache-Control', 'no-store')
    .send(file.body);
}

/**
 * A campaign's signatures as its organisers and admins may see them: every status, the supporter's
 * details opened, the email only of those who agreed to be contacted. Listed a page at a time or
 * exported whole as CSV, streamed a batch at a time (constant memory at any size).
 */
@Injectable()
export class SignatureListService {
  constructor(
    private readonly signatures: SignatureListRepository,
    private readonly campaigns: CampaignsService,
    private readonly index: BlindIndex,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, campaignId: string, query: ListSignaturesQueryDto): Promise<SignatureListResponseDto> {
    const after = cursorOf(query.cursor);
    const filter = this.filterOf(query);
    const viewer = await this.viewerOf(principal, campaignId);
    const rows = await this.signatures.page(viewer, filter, after, query.limit + 1);
    return keysetPage(rows, query.limit, toDto);
  }

  /**
   * The CSV of every matching signature. The export is recorded in the audit log before its first
   * byte leaves (with the number of rows it holds at that moment): an export that breaks off is
   * still on record, and if the record cannot be written nothing is sent.
   */
  async export(principal: Principal, campaignId: string, query: SignatureFiltersQueryDto, ip: string | null = null): Promise<SignatureExport> {
    const filter = this.filterOf(query);
    const viewer = await this.viewerOf(principal, campaignId, 'export');
    const campaign = viewer.campaign;
    const rows = await this.signatures.count(viewer, filter);
    await this.audit.record({
      actor: principal,
      action: 'signatures.export',
      campaignId: campaign.id,
      details: {
        rows,
        status: filter.status,
        country: filter.country,
        from: filter.from?.toISOString() ?? null,
        to: filter.to?.toISOString() ?? null,
        // Whether it was one address's lookup, never the address.
        email: filter.emailHash !== null,
      },
      ip,
    });
    return { filename: `${campaign.slug}-signatures.csv`, body: Readable.from(this.csv(viewer, filter), { highWaterMark: EXPORT_BUFFERED_CHUNKS }) };
  }

  /**
   * Whose supporters the caller sees. An export (data that leaves Nida) holds only the supporters
   * who agreed that the exporting organisation may contact them, lead or partner (per-partner
   * consent). In the list, the lead sees every signature (releasing held ones and invalidating are
   * its work), with the email only of those who agreed that it may contact them; a partner sees only
   * those who agreed that it may, and nobody else at all.
   */
  private async viewerOf(principal: Principal, campaignId: string, purpose: 'list' | 'export' = 'list'): Promise<SignatureViewer> {
    const { campaign, organisationId, level } = await this.campaigns.access(principal, campaignId, 'view');
    return { campaign, campaignId: campaign.id, organisationId, consentedOnly: purpose === 'export' || level !== 'lead' };
  }

  private async *csv(viewer: SignatureViewer, filter: SignatureFilter): AsyncGenerator<string> {
    // The BOM tells spreadsheets the file is UTF-8 (else Arabic shows as mojibake).
    yield '\ufeff' + csvRows([[...EXPORT_COLUMNS]]);
    for await (const batch of this.signatures.all(viewer, filter)) {
      yield csvRows(
        batch.map((s) => {
          const item = toDto(s);
          return EXPORT_COLUMNS.map((c) => cellOf(item[c]));
        }),
      );
    }
  }

  private filterOf(query: SignatureFiltersQueryDto): SignatureFilter {
    const from = instantOf('from', query.from) ?? null;
    const to = instantOf('to', query.to) ?? null;
    if (from && to && from.getTime() >= to.getTime()) {
      throw CommonErrors.validation([{ field: 'to', problems: ['to must be later than from'] }]);
    }
    return {
      status: query.status ?? null,
      country: query.country ?? null,
      from,
      to,
      emailHash: query.email === undefined ? null : this.index.email(query.email),
    };
  }
}

function toDto(s: ListedSignature): SignatureListItemDto {
  return {
    id: s.id,
    status: s.status,
    country: s.country,
    createdAt: s.createdAt.toISOString(),
    verifiedAt: s.verifiedAt?.toISOString() ?? null,
    name: s.name,
    city: s.city,
    comment: s.comment,
    showName: s.showName,
    contactConsent: s.contactConsent,
    replyConsent: s.replyConsent,
    locale: s.locale,
    heldReason: s.heldReason,
    anonymised: s.anonymised,
    email: s.email,
  };
}

function cellOf(value: string | boolean | null): string | null {
  return typeof value === 'boolean' ? String(value) : value;
}
