import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supporters' comments, moderated (issue 14, item 3), and review before publishing (item 4).
 *
 * - `campaigns.comments`: whether supporters' comments are shown on the public page — `off`,
 *   `moderated` (the default: only those an organiser approved) or `open` (every verified one an
 *   organiser has not hidden).
 * - `signatures.comment_status`: the organisers' decision on a comment (`pending` until they make
 *   one); meaningful only where `comment` is not null. Anonymising empties the comment itself, so
 *   an erased or anonymised supporter's comment is gone whatever its status.
 * - `campaigns.status` may be `in_review` (an organiser asked to publish, an admin has not decided
 *   yet): not public, takes no signatures, no `published_at` yet. `review_note`: why an admin sent
 *   it back, shown to its organisers until they ask again.
 */
export class AddCommentModerationAndReview1796130000000 implements MigrationInterface {
  name = 'AddCommentModerationAndReview1796130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN comments text NOT NULL DEFAULT 'moderated'
      CHECK (comments IN ('off', 'moderated', 'open'))`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN review_note text`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN review_requested_at timestamptz`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check`);
    await q.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
      CHECK (status IN ('draft', 'in_review', 'live', 'closed', 'won'))`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_check`);
    await q.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_check
      CHECK (status IN ('draft', 'in_review') OR published_at IS NOT NULL)`);
    await q.query(`CREATE INDEX campaigns_in_review_idx ON campaigns (review_requested_at, id) WHERE status = 'in_review'`);

    await q.query(`ALTER TABLE signatures ADD COLUMN comment_status text NOT NULL DEFAULT 'pending'
      CHECK (comment_status IN ('pending', 'approved', 'hidden'))`);
    await q.query(`ALTER TABLE signatures ADD COLUMN comment_moderated_at timestamptz`);
    // The public wall and the moderation queue: a campaign's verified comments, newest first.
    await q.query(`CREATE INDEX signatures_comments_idx ON signatures (campaign_id, verified_at DESC, id DESC)
      WHERE comment IS NOT NULL AND status = 'verified'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signatures_comments_idx`);
    await q.query(`ALTER TABLE signatures DROP COLUMN comment_moderated_at`);
    await q.query(`ALTER TABLE signatures DROP COLUMN comment_status`);
    await q.query(`DROP INDEX campaigns_in_review_idx`);
    await q.query(`UPDATE campaigns SET status = 'draft' WHERE status = 'in_review'`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_check`);
    await q.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_check CHECK (status = 'draft' OR published_at IS NOT NULL)`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check`);
    await q.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check CHECK (status IN ('draft', 'live', 'closed', 'won'))`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN review_requested_at`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN review_note`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN comments`);
  }
}
