import { CaseUpdate } from './modules/updates/case-update.entity';
import { UpdateDelivery } from './modules/updates/update-delivery.entity';
import { UpdateOptOut } from './modules/updates/update-opt-out.entity';
import { OrganiserNotice } from './modules/notices/organiser-notice.entity';
import { Block } from './modules/abuse/block.entity';
import { TrendingAlert } from './modules/abuse/trending-alert.entity';
import { AuditEvent } from './modules/audit/audit-event.entity';
import { ConsoleSession } from './modules/auth/console-session.entity';
import { OrganiserToken } from './modules/auth/organiser-token.entity';
import { Campaign } from './modules/campaigns/campaign.entity';
import { CampaignPartner } from './modules/campaigns/campaign-partner.entity';
import { CampaignLetterTranslation } from './modules/letters/campaign-letter-translation.entity';
import { Digest } from './modules/letter-deliveries/digest.entity';
import { Letter } from './modules/letter-deliveries/letter.entity';
import { MailOutbox } from './modules/mail/mail-outbox.entity';
import { Organisation } from './modules/organisations/organisation.entity';
import { Organiser } from './modules/organisations/organiser.entity';
import { PrivacyRequest } from './modules/privacy/privacy-request.entity';
import { Invalidation } from './modules/signatures/invalidation.entity';
import { SignatureToken } from './modules/signatures/signature-token.entity';
import { Signature } from './modules/signatures/signature.entity';
import { CampaignCounter } from './modules/tally/campaign-counter.entity';
import { CampaignCountryCounter } from './modules/tally/campaign-country-counter.entity';
import { CampaignDayCounter } from './modules/tally/campaign-day-counter.entity';
import { CampaignMedia } from './modules/media/campaign-media.entity';
import { CampaignMilestone } from './modules/tally/campaign-milestone.entity';
import { TallyEvent } from './modules/tally/tally-event.entity';
import { TargetReply } from './modules/targets/target-reply.entity';
import { Target } from './modules/targets/target.entity';
import { DossierSend } from './modules/dossiers/dossier-send.entity';

/**
 * Every entity, one per table the migrations create, grouped by the module that owns the table.
 * Assembled here, at the app root, so `infra/database` knows no feature module; the app
 * (`AppModule`) and the CLI both connect with this list. test/e2e/schema-entities.e2e-spec.ts
 * fails when a table has no entity here or an entity disagrees with its migrated table.
 */
export const APP_ENTITIES = [
  // organisations
  Organisation,
  Organiser,
  // auth
  ConsoleSession,
  OrganiserToken,
  // campaigns
  Campaign,
  CampaignPartner,
  // media
  CampaignMedia,
  // targets
  Target,
  TargetReply,
  // signatures
  Signature,
  SignatureToken,
  Invalidation,
  // mail
  MailOutbox,
  // tally
  TallyEvent,
  CampaignCounter,
  CampaignCountryCounter,
  CampaignDayCounter,
  CampaignMilestone,
  // letters (templates)
  CampaignLetterTranslation,
  // letter-deliveries
  Letter,
  Digest,
  // abuse
  Block,
  TrendingAlert,
  // audit
  AuditEvent,
  // privacy
  PrivacyRequest,
  // updates
  CaseUpdate,
  UpdateDelivery,
  UpdateOptOut,
  // dossiers
  DossierSend,
  // notices
  OrganiserNotice,
];
