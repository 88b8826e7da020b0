import { CampaignCounter } from '../../modules/campaigns/campaign-counter.entity';
import { Campaign } from '../../modules/campaigns/campaign.entity';
import { Organisation } from '../../modules/organisations/organisation.entity';
import { Organiser } from '../../modules/organisations/organiser.entity';
import { Target } from '../../modules/targets/target.entity';

export const ENTITIES = [Organisation, Organiser, Campaign, CampaignCounter, Target];
