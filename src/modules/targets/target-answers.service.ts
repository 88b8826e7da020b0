import { Injectable, Logger } from '@nestjs/common';
import { answerPath, answerTokenFromSeed, answerTokenHash, isWellFormedAnswerToken, newAnswerSeed } from '../../common/answer-token';
import { sameHash } from '../../common/confirmation-token';
import type { Locale } from '../../common/locale';
import type { Principal } from '../../common/principal';
import { safeError } from '../../common/safe-error';
import { dayIn } from '../../common/zoned-date';
import { appSecret, Environment, publicLink } from '../../config/environment';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { UpdatesService } from '../updates/updates.service';
import { ANSWER_LIMITS, type SubmitAnswerDto } from './dto/submit-answer.dto';
import type { ReplyResponseDto } from './dto/target-response.dto';
import { type AnswerLinkRow, type ReplyDetailRow, TargetAnswersRepository } from './target-answers.repository';
import type { ReplyStatus } from './target-reply.entity';
import { TargetErrors } from './targets.errors';
import { TargetsRepository } from './targets.repository';

export type AnswerLink = AnswerLinkRow;

/** What became of an answer sent through the link. */
export type AnswerOutcome = 'received' | 'limited';

/**
 * Officials answer a campaign through the link at the end of every letter: one link per target
 * (the token is the credential: no account), working while the campaign is live and for
 * ANSWER_LINK_DAYS_AFTER_CLOSE days after it was closed or won. An answer arrives as a reply
 * pending the organisers' approval; approved, it makes the target "replied", and made public, its
 * words appear on the campaign page (and, with autoNotify, an automatic update is owed).
 */
@Injectable()
export class TargetAnswersService {
  private readonly logger = new Logger(TargetAnswersService.name);

  constructor(
    private readonly answers: TargetAnswersRepository,
    private readonly targets: TargetsRepository,
    private readonly campaigns: CampaignsService,
    private readonly updates: UpdatesService,
    private readonly audit: AuditService,
    private readonly env: Environment,
  ) {}

  // ── the link ──────────────────────────────────────────────────────────────

  /** The target's answer link in `locale` (the letter's language): `{PUBLIC_URL}/{locale}/answer/{token}`. Made with the first letter. */
  async link(targetId: string, locale: Locale): Promise<string | null> {
    const secret = appSecret(this.env);
    const seed = newAnswerSeed();
    const stored = await this.answers.ensureSeed(targetId, seed, answerTokenHash(answerTokenFromSeed(secret, seed)));
    if (!stored) return null;
    const token = answerTokenFromSeed(secret, stored.seed);
    const hash = answerTokenHash(token);
    // APP_SECRET changed since the seed was made: the link the letter carries now is the new one.
    if (!stored.hash || !sameHash(stored.hash, hash)) await this.answers.setHash(targetId, hash);
    return publicLink(this.env, answerPath(locale, token));
  }

  /** What a link opens onto, or null when it is malformed, unknown or expired (one answer for all three). */
  async open(token: unknown): Promise<AnswerLink | null> {
    if (!isWellFormedAnswerToken(token)) return null;
    return this.answers.openLink(answerTokenHash(token), this.env.ANSWER_LINK_DAYS_AFTER_CLOSE);
  }

  /**
   * Stores an answer through the link, pending approval: null when the link does not work,
   * `limited` past ANSWERS_PER_TARGET_PER_DAY. The text is kept as written (shown escaped).
   */
  async submit(link: AnswerLink, dto: SubmitAnswerDto): Promise<AnswerOutcome> {
    const receivedOn = dayIn(this.campaigns.timeZoneOf({ timeZone: link.campaign.timeZone }));
    const id = await this.answers.insertAnswer(
      link.targetId,
      {
        receivedOn,
        text: dto.text.slice(0, ANSWER_LIMITS.text),
        name: dto.name?.slice(0, ANSWER_LIMITS.name) || null,
        position: dto.position?.slice(0, ANSWER_LIMITS.position) || null,
      },
      this.env.ANSWERS_PER_TARGET_PER_DAY,
    );
    if (!id) {
      this.logger.warn({ targetId: link.targetId }, 'Answer refused: over ANSWERS_PER_TARGET_PER_DAY');
      return 'limited';
    }
    this.logger.log({ targetId: link.targetId, replyId: id }, 'Official answer received, pending approval');
    return 'received';
  }

  // ── organisers ────────────────────────────────────────────────────────────

  /** The campaign's replies and answers (one target's when `targetId` is given), newest first. */
  async list(principal: Principal, campaignId: string, filter: { targetId?: string; status?: ReplyStatus } = {}): Promise<ReplyResponseDto[]> {
    await this.campaigns.owned(principal, campaignId, 'view');
    if (filter.targetId && !(await this.targets.findOne(campaignId, filter.targetId))) throw TargetErrors.notFound();
    return (await this.answers.list(campaignId, filter)).map(toDetail);
  }

  async approve(principal: Principal, campaignId: string, targetId: string, replyId: string, makePublic: boolean): Promise<ReplyResponseDto> {
    return this.decide(principal, campaignId, targetId, replyId, 'approved', makePublic);
  }

  async reject(principal: Principal, campaignId: string, targetId: string, replyId: string): Promise<ReplyResponseDto> {
    return this.decide(principal, campaignId, targetId, replyId, 'rejected', false);
  }

  /** Shows an approved answer's words on the campaign page, or stops showing them. */
  async setPublic(principal: Principal, campaignId: string, targetId: string, replyId: string, makePublic: boolean): Promise<ReplyResponseDto> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    const reply = await this.answers.find(campaignId, targetId, replyId);
    if (!reply) throw TargetErrors.replyNotFound();
    if (!(await this.answers.setPublic(reply.id, makePublic))) throw TargetErrors.replyNotAnswer();
    await this.audit.record({ actor: principal, action: 'answers.visibility', campaignId, subjectId: reply.id, details: { public: makePublic } });
    if (makePublic) this.notify();
    return toDetail((await this.answers.find(campaignId, targetId, replyId))!);
  }

  private async decide(
    principal: Principal,
    campaignId: string,
    targetId: string,
    replyId: string,
    to: 'approved' | 'rejected',
    makePublic: boolean,
  ): Promise<ReplyResponseDto> {
    await this.campaigns.owned(principal, campaignId, 'edit');
    const reply = await this.answers.find(campaignId, targetId, replyId);
    if (!reply) throw TargetErrors.replyNotFound();
    if (reply.source !== 'official') throw TargetErrors.replyNotAnswer();
    if (!(await this.answers.decide(reply.id, to, makePublic))) {
      const now = await this.answers.find(campaignId, targetId, replyId);
      throw TargetErrors.replyDecided(now?.status ?? reply.status);
    }
    await this.audit.record({
      actor: principal,
      action: to === 'approved' ? 'answers.approve' : 'answers.reject',
      campaignId,
      subjectId: reply.id,
      details: { public: to === 'approved' && makePublic },
    });
    if (to === 'approved' && makePublic) this.notify();
    return toDetail((await this.answers.find(campaignId, targetId, replyId))!);
  }

  /**
   * A public answer is a public reply: with autoNotify, the automatic update is owed. The
   * dispatcher's pass posts it within UPDATE_DISPATCH_INTERVAL_MS; this pass posts it now.
   */
  private notify(): void {
    void this.updates.postNotices().catch((error) => this.logger.warn({ err: safeError(error) }, 'Automatic notices not posted now; the dispatcher will'));
  }
}

function toDetail(r: ReplyDetailRow): ReplyResponseDto {
  return {
    id: r.id,
    targetId: r.target_id,
    targetName: r.target_name,
    receivedOn: r.received_on,
    summary: r.summary,
    publicText: r.public_text,
    source: r.source,
    status: r.status,
    answeredBy: r.source === 'official' ? { name: r.answered_by_name, position: r.answered_by_position } : null,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}
