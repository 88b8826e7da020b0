import { CampaignCounter } from '../../modules/campaigns/campaign-counter.entity';
import { Campaign } from '../../modules/campaigns/campaign.entity';
import { Organisation } from '../../modules/organisations/organisation.entity';
import { Organiser } from '../../modules/organisations/organiser.entity';
import { MailOutbox } from '../../modules/mail/mail-outbox.entity';
import { Signature } from '../../modules/signatures/signature.entity';
import { Target } from '../../modules/targets/target.entity';

export const ENTITIES = [Organisation, Organiser, Campaign, CampaignCounter, Target, Signature, MailOutbox];
