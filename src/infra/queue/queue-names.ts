/** Queue names: never renamed once shipped. */
export enum QueueName {
  Campaigns = 'campaigns',
  Mail = 'mail',
  Tally = 'tally',
  Letters = 'letters',
  Retention = 'retention',
  Media = 'media',
  UpdateFanOut = 'update-fanout',
  UpdateSend = 'update-send',
}

/** Job names (`noun.verb`): never renamed once shipped. */
export enum JobName {
  CampaignCloseExpired = 'campaign.close-expired',
  /** One outbox row a job (before batches): a worker still takes one. */
  MailSend = 'mail.send',
  MailSendBatch = 'mail.send-batch',
  TallyReconcile = 'tally.reconcile',
  /** One letter a job (before batches): a worker still takes one. */
  LetterSend = 'letter.send',
  LetterSendBatch = 'letter.send-batch',
  RetentionRun = 'retention.run',
  ShareCardRender = 'share-card.render',
  ShareCardSweep = 'share-card.sweep',
  UpdateFanOut = 'update.fan-out',
  /** Retired: one job per update email (before batches); a worker still takes one as a batch job. */
  UpdateSend = 'update.send',
  UpdateSendBatch = 'update.send-batch',
}
