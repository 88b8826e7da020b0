import { ApiEnum, ApiLocale } from '../../../common/api-schema';
import type { Locale } from '../../../common/locale';
import type { Target } from '../target.entity';

/** A target as its campaign's organisers see it (with its email). */
export class TargetResponseDto {
  id: string;
  campaignId: string;
  name: string;
  title: string | null;
  organisation: string | null;
  email: string;
  @ApiLocale()
  locale: Locale;
  country: string | null;
  emailPublic: boolean;
  sendingWindow: { timeZone: string; start: string; end: string; days: number[] } | null;
  /** When letters to this address stopped after repeated hard bounces. */
  suppressedAt: string | null;
  /** Why letters to this target are held back (e.g. its sending window's time zone is unknown to the database); null when they are not. */
  dispatchError: string | null;
  createdAt: string;

  static from(t: Target): TargetResponseDto {
    return {
      id: t.id,
      campaignId: t.campaignId,
      name: t.name,
      title: t.title,
      organisation: t.organisation,
      email: t.email,
      locale: t.locale,
      country: t.country,
      emailPublic: t.emailPublic,
      sendingWindow:
        t.timeZone && t.windowStart && t.windowEnd && t.windowDays
          ? { timeZone: t.timeZone, start: t.windowStart.slice(0, 5), end: t.windowEnd.slice(0, 5), days: t.windowDays.map(Number) }
          : null,
      suppressedAt: t.suppressedAt ? t.suppressedAt.toISOString() : null,
      dispatchError: t.dispatchError,
      createdAt: t.createdAt.toISOString(),
    };
  }
}

/** A target as the public sees it: its address only if the organiser made it public, and whether it replied. */
export class PublicTargetDto {
  name: string;
  title: string | null;
  organisation: string | null;
  email?: string;
  @ApiEnum(['replied', 'no_reply'])
  replyStatus: 'replied' | 'no_reply';
  /** The latest reply: its date, and its text when the organiser made it public. */
  reply?: { receivedOn: string; text: string | null };

  static from(t: Target, reply?: { receivedOn: string; publicText: string | null }): PublicTargetDto {
    return {
      name: t.name,
      title: t.title,
      organisation: t.organisation,
      ...(t.emailPublic ? { email: t.email } : {}),
      replyStatus: reply ? 'replied' : 'no_reply',
      ...(reply ? { reply: { receivedOn: reply.receivedOn, text: reply.publicText } } : {}),
    };
  }
}

export class ReplyResponseDto {
  id: string;
  receivedOn: string;
  /** The organiser's summary; an official's answer: its full text. */
  summary: string;
  /** What the campaign page shows; null: nothing (private, or pending). */
  publicText: string | null;
  createdAt: string;
  /** `organiser`: recorded in the console or the API; `official`: sent through the letter's link. */
  @ApiEnum(['organiser', 'official'])
  source: 'organiser' | 'official';
  /** An official's answer waits in `pending_approval` until an organiser approves (or rejects) it. */
  @ApiEnum(['pending_approval', 'approved', 'rejected'])
  status: 'pending_approval' | 'approved' | 'rejected';
  /** Who answered, as the official wrote it. */
  answeredBy: { name: string | null; position: string | null } | null;
  targetId: string;
  targetName: string;
  decidedAt: string | null;
}
