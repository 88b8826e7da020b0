/** Queue names: never renamed once shipped. */
export enum QueueName {
  Campaigns = 'campaigns',
  Mail = 'mail',
  Tally = 'tally',
  Letters = 'letters',
  Retention = 'retention',
  UpdateFanOut = 'update-fanout',
  UpdateSend = 'update-send',
}

/** Job names (`noun.verb`): never renamed once shipped. */
export enum JobName {
  CampaignCloseExpired = 'campaign.close-expired',
  MailSend = 'mail.send',
  TallyReconcile = 'tally.reconcile',
  LetterSend = 'letter.send',
  RetentionRun = 'retention.run',
  UpdateFanOut = 'update.fan-out',
  UpdateSend = 'update.send',
}
