import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AbuseSettings, AppSettings, appSecret } from '../../config/environment';
import type { FormHoldReason } from '../signatures/dto/sign-options.dto';

/** The hidden field a person never sees or fills (a bot filling every field does). */
export const HONEYPOT_FIELD = 'website';
/** The hidden field holding the signed render time. */
export const RENDERED_AT_FIELD = 'renderedAt';

const STAMP = /^(\d{1,15})\.([A-Za-z0-9_-]{22})$/;

/**
 * The page form's checks for bots, which the API does not have: a honeypot field hidden from
 * people (and from screen readers and the keyboard), and the time the form was rendered, signed
 * with APP_SECRET over the time and the campaign's slug, so it can be neither forged nor moved to
 * another campaign. A post that fills the honeypot, or comes back sooner than
 * SIGN_MIN_FORM_SECONDS after its render (or without a valid render time), is held: the person —
 * or the bot — sees the usual "check your email" page, and nothing is mailed.
 */
@Injectable()
export class FormBotCheck {
  constructor(
    private readonly abuse: AbuseSettings,
    private readonly app: AppSettings,
  ) {}

  /** The render time to put in a form of this campaign: `<ms>.<mac>`. */
  stamp(slug: string, now = Date.now()): string {
    return `${now}.${this.mac(slug, String(now))}`;
  }

  /** The render time a post carries, when it is one this installation signed for this campaign; else null. */
  renderedAt(slug: string, value: unknown): number | null {
    const match = typeof value === 'string' ? STAMP.exec(value) : null;
    if (!match) return null;
    const expected = Buffer.from(this.mac(slug, match[1]));
    const given = Buffer.from(match[2]);
    return given.length === expected.length && timingSafeEqual(given, expected) ? Number(match[1]) : null;
  }

  /** Why a post is held by these checks, or null when it passes them. */
  check(slug: string, body: Record<string, unknown>, now = Date.now()): FormHoldReason | null {
    const honeypot = body[HONEYPOT_FIELD];
    if (honeypot !== undefined && honeypot !== '') return 'honeypot';
    const minMs = this.abuse.SIGN_MIN_FORM_SECONDS * 1000;
    if (minMs === 0) return null;
    const renderedAt = this.renderedAt(slug, body[RENDERED_AT_FIELD]);
    return renderedAt === null || now - renderedAt < minMs ? 'too_fast' : null;
  }

  private mac(slug: string, ms: string): string {
    return createHmac('sha256', appSecret(this.app)).update(`sign-form:${slug}:${ms}`).digest('base64url').slice(0, 22);
  }
}
