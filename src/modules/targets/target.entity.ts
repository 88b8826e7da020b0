import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Locale } from '../../common/locale';

/** An official or body a campaign writes to. */
@Entity({ name: 'targets' })
export class Target {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  organisation: string | null;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  locale: Locale;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'text', nullable: true })
  country: string | null;

  /** The organiser may show this address publicly (an office's published address). */
  @Column({ name: 'email_public', type: 'boolean', default: false })
  emailPublic: boolean;

  /** Set after repeated hard bounces: no more letters go to this address. */
  @Column({ name: 'suppressed_at', type: 'timestamptz', nullable: true })
  suppressedAt: Date | null;

  /** Why the dispatcher cannot release this target's letters (e.g. a time zone the database does not know); null when it can. */
  @Column({ name: 'dispatch_error', type: 'text', nullable: true })
  dispatchError: string | null;

  /** Sending window (all four set, or none): IANA time zone, local HH:MM:SS bounds, ISO weekdays. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ name: 'window_start', type: 'time', nullable: true })
  windowStart: string | null;

  @Column({ name: 'window_end', type: 'time', nullable: true })
  windowEnd: string | null;

  @Column({ name: 'window_days', type: 'smallint', array: true, nullable: true })
  windowDays: number[] | null;

  /** Seed of the answer link's token (HMAC(APP_SECRET, seed)); set with the first letter. Never leaves the targets module. */
  @Column({ name: 'answer_seed', type: 'bytea', nullable: true, select: false })
  answerSeed: Buffer | null;

  /** SHA-256 of the answer link's token: what an opened link is looked up by. */
  @Column({ name: 'answer_token_hash', type: 'bytea', nullable: true, select: false })
  answerTokenHash: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
