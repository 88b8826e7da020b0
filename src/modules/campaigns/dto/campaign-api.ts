import { enumOf } from '../../../common/api-schema';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES, CASE_STATUSES, COMMENT_MODES } from '../campaign.entity';

/** OpenAPI metadata for the campaign's own enums (see common/api-schema.ts). */
export const ApiCampaignKind = enumOf(CAMPAIGN_KINDS, 'urgent_action');
export const ApiCampaignStatus = enumOf(CAMPAIGN_STATUSES, 'live');
export const ApiCaseStatus = enumOf(CASE_STATUSES, 'released');
export const ApiCommentMode = enumOf(COMMENT_MODES, 'moderated');
