/** An urgent action's case statuses (campaign.entity.ts), for modules that set one (a case update). */
export { CASE_STATUSES, type CaseStatus } from '../campaign.entity';
