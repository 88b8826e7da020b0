import { Injectable, Logger } from '@nestjs/common';
import type { Locale } from '../../common/locale';
import { appSecret, AppSettings } from '../../config/environment';
import { UnsubscribeTokens } from './unsubscribe-token';
import { UpdatesRepository } from './updates.repository';

export type UnsubscribeScope = 'campaign' | 'organisation';

/** What the unsubscribe page shows of a link: whose emails, in which language. Never the address. */
export interface UnsubscribeLink {
  /** The supporter's language (the page's when its path names none). */
  locale: Locale;
  campaign: { slug: string; locale: Locale; title: string; translations: Partial<Record<Locale, { title: string }>> };
  organisation: string;
}

/**
 * Unsubscribing from update emails (RFC 8058): the link's token names a signature (derived,
 * never stored) and the organisation that sent the email; the opt-out is stored by the blind index
 * of its address, for that organisation's updates of the campaign or for all of that organisation's. Reading a link changes nothing; only `unsubscribe` does.
 */
@Injectable()
export class UnsubscribeService {
  private readonly logger = new Logger(UnsubscribeService.name);
  private readonly tokens: UnsubscribeTokens;

  constructor(
    private readonly updates: UpdatesRepository,
    app: AppSettings,
  ) {
    this.tokens = new UnsubscribeTokens(appSecret(app));
  }

  /** The link's campaign and organisation, or null when the token is not ours or its signature is gone. */
  async read(token: string): Promise<UnsubscribeLink | null> {
    const link = this.tokens.read(token);
    if (!link) return null;
    const subject = await this.updates.unsubscribeSubject(link.signatureId, link.organisationId);
    if (!subject) return null;
    return { locale: subject.locale, campaign: subject.campaign, organisation: subject.organisation };
  }

  /**
   * Unsubscribes the link's address from `scope` at once (again: the same). Null when the token is
   * not valid. An address already anonymised gets no updates anyway: done, nothing to store.
   */
  async unsubscribe(token: string, scope: UnsubscribeScope, via: 'one-click' | 'page'): Promise<UnsubscribeLink | null> {
    const link = this.tokens.read(token);
    if (!link) return null;
    const subject = await this.updates.unsubscribeSubject(link.signatureId, link.organisationId);
    if (!subject) return null;
    if (subject.emailHash) {
      // Either way, from the organisation that sent the email (the lead, or the partner that posted the update).
      if (scope === 'campaign') await this.updates.optOutOfCampaign(subject.emailHash, subject.campaignId, subject.organisationId, via);
      else await this.updates.optOut(subject.emailHash, 'organisation', subject.organisationId, via);
      this.logger.log({ campaignId: subject.campaignId, scope, via }, 'Unsubscribed from updates');
    }
    return { locale: subject.locale, campaign: subject.campaign, organisation: subject.organisation };
  }
}
