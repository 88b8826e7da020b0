/**
 * What an audit event records: stable codes, `area.verb`, never renamed once shipped (clients
 * filter on them). Others import the type through `audit.service`.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_change',
  'auth.password_reset',
  'campaign.publish',
  'campaign.close',
  'campaign.win',
  'campaign.reopen',
  'campaign.review_request',
  'campaign.review_approve',
  'campaign.review_reject',
  'comments.approve',
  'comments.hide',
  'signatures.hide_name',
  'signatures.release',
  'signatures.discard',
  'signatures.invalidate',
  'signatures.export',
  'letters.export',
  'organisers.disable',
  'organisers.enable',
  'organisers.invite',
  'organisers.invitation_accept',
  'blocks.add',
  'blocks.remove',
  'privacy.erasure',
  'privacy.admin_erasure',
  'keys.rotate',
  'retention.run',
  'answers.approve',
  'answers.reject',
  'answers.visibility',
  'dossiers.download',
  'dossiers.send',
  'updates.post',
  'updates.pause',
  'updates.resume',
  'updates.cancel',
  'media.photo_set',
  'media.photo_texts',
  'media.photo_remove',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_KINDS = ['organiser', 'admin', 'system', 'supporter'] as const;
/** Who acted: an organiser or an admin (named by `actorId`), the platform itself (a sweep, the CLI), or a supporter acting on their own data. */
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];
