import { Campaign } from '../../modules/campaigns/campaign.entity';
import { CampaignLetterTranslation } from '../../modules/letters/campaign-letter-translation.entity';
import { Digest } from '../../modules/letters/digest.entity';
import { Letter } from '../../modules/letters/letter.entity';
import { MailOutbox } from '../../modules/mail/mail-outbox.entity';
import { Organisation } from '../../modules/organisations/organisation.entity';
import { Organiser } from '../../modules/organisations/organiser.entity';
import { SignatureToken } from '../../modules/signatures/signature-token.entity';
import { Signature } from '../../modules/signatures/signature.entity';
import { CampaignCounter } from '../../modules/tally/campaign-counter.entity';
import { CampaignCountryCounter } from '../../modules/tally/campaign-country-counter.entity';
import { CampaignDayCounter } from '../../modules/tally/campaign-day-counter.entity';
import { CampaignMilestone } from '../../modules/tally/campaign-milestone.entity';
import { TallyEvent } from '../../modules/tally/tally-event.entity';
import { TargetReply } from '../../modules/targets/target-reply.entity';
import { Target } from '../../modules/targets/target.entity';

export const ENTITIES = [
  Organisation,
  Organiser,
  Campaign,
  Target,
  TargetReply,
  Signature,
  SignatureToken,
  MailOutbox,
  TallyEvent,
  CampaignCounter,
  CampaignCountryCounter,
  CampaignDayCounter,
  CampaignMilestone,
  Letter,
  Digest,
  CampaignLetterTranslation,
];
