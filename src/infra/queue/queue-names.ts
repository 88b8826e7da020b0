/** Queue names: never renamed once shipped. */
export enum QueueName {
  Campaigns = 'campaigns',
}

/** Job names (`noun.verb`): never renamed once shipped. */
export enum JobName {
  CampaignCloseExpired = 'campaign.close-expired',
}
