import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/principal';
import { Environment } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { MailOutboxService } from '../mail/mail-outbox.service';
import {
  HeldDiscardedResponseDto,
  HeldReleasedResponseDto,
  HeldSignatureListResponseDto,
} from './dto/held-signature-response.dto';
import type { ListHeldQueryDto } from './dto/list-held-query.dto';
import type { SelectHeldDto } from './dto/select-held.dto';
import { HeldSelection, HeldSignaturesRepository } from './held-signatures.repository';
import { cursorOf, keysetPage } from '../../common/keyset-cursor';
import { newConfirmationToken } from './new-token';
import { SignatureErrors } from './signatures.errors';
import { SignaturesRepository } from './signatures.repository';

/**
 * Held signatures (over a limit, a honeypot, too fast: stored, not mailed, not counted) as the
 * campaign's organisers and admins manage them: listed without their email, released (pending,
 * with a fresh confirmation email within SIGNATURE_MAX_EMAILS) or discarded (deleted; the person
 * may sign again).
 */
@Injectable()
export class HeldSignaturesService {
  constructor(
    private readonly held: HeldSignaturesRepository,
    private readonly signatures: SignaturesRepository,
    private readonly campaigns: CampaignsService,
    private readonly mail: MailOutboxService,
    private readonly env: Environment,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, campaignId: string, query: ListHeldQueryDto): Promise<HeldSignatureListResponseDto> {
    const after = cursorOf(query.cursor);
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const rows = await this.held.list(campaign.id, query.reason ?? null, after, query.limit + 1);
    return keysetPage(rows, query.limit, (r) => ({
      id: r.id,
      name: r.name,
      country: r.country,
      city: r.city,
      heldReason: r.heldReason,
      createdAt: r.createdAt.toISOString(),
      emailDomain: r.emailDomain,
    }));
  }

  /**
   * The selected held signatures become pending; each under the email cap gets a new token and its
   * confirmation's outbox row in the same transaction, enqueued after commit. One already at the
   * cap becomes pending without an email: the cap is the promise that one signature never causes
   * more mail than that, whoever asks.
   */
  async release(principal: Principal, campaignId: string, dto: SelectHeldDto, ip: string | null = null): Promise<HeldReleasedResponseDto> {
    const selection = selectionOf(dto);
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    const { released, outboxIds } = await this.signatures.transaction(async (m) => {
      const rows = await this.held.release(m, campaign.id, selection, this.env.SIGNATURE_MAX_EMAILS);
      const ids: string[] = [];
      for (const row of rows.filter((r) => r.mail)) {
        const token = newConfirmationToken(this.env);
        await this.signatures.insertToken(m, row.id, token.hash, token.expiresAt);
        ids.push(await this.mail.add(m, { kind: 'signature.confirmation', signatureId: row.id, tokenSeed: token.seed }));
      }
      await this.audit.record(
        { actor: principal, action: 'signatures.release', campaignId: campaign.id, details: { ...detailsOf(selection), released: rows.length, mailed: ids.length }, ip },
        m,
      );
      return { released: rows.length, outboxIds: ids };
    });
    await this.mail.enqueue(outboxIds);
    return { released };
  }

  /** Deletes the selected held signatures: never counted, never mailed, nothing kept. */
  async discard(principal: Principal, campaignId: string, dto: SelectHeldDto, ip: string | null = null): Promise<HeldDiscardedResponseDto> {
    const selection = selectionOf(dto);
    const campaign = await this.campaigns.owned(principal, campaignId, 'lead');
    return this.signatures.transaction(async (m) => {
      const discarded = await this.held.discard(m, campaign.id, selection);
      await this.audit.record(
        { actor: principal, action: 'signatures.discard', campaignId: campaign.id, details: { ...detailsOf(selection), discarded }, ip },
        m,
      );
      return { discarded };
    });
  }
}

/** Exactly one of ids and all: true. */
function selectionOf(dto: SelectHeldDto): HeldSelection {
  const all = dto.all === true;
  if ((dto.ids !== undefined) === all) throw SignatureErrors.heldSelectionRequired();
  return { ids: dto.ids ? [...new Set(dto.ids.map((id) => id.toLowerCase()))] : null, reason: dto.reason ?? null };
}

/** What the audit keeps of a selection: how it was made, never whose signatures. */
function detailsOf(selection: HeldSelection): { selection: string; ids: number | null; heldReason: string | null } {
  return { selection: selection.ids ? 'ids' : 'all', ids: selection.ids?.length ?? null, heldReason: selection.reason };
}
