import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const REPLY_SOURCES = ['organiser', 'official'] as const;
export type ReplySource = (typeof REPLY_SOURCES)[number];
export const REPLY_STATUSES = ['pending_approval', 'approved', 'rejected'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/**
 * A reply an official sent: recorded by an organiser (approved as it is made), or given by the
 * official through their letters' answer link (pending until an organiser approves it).
 */
@Entity({ name: 'target_replies' })
export class TargetReply {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  /** The organiser's summary, for organisers only. */
  @Column({ type: 'text' })
  summary: string;

  /** The words the public campaign page may quote; null for none. */
  @Column({ name: 'public_text', type: 'text', nullable: true })
  publicText: string | null;

  @Column({ type: 'text', default: 'organiser' })
  source: ReplySource;

  @Column({ type: 'text', default: 'approved' })
  status: ReplyStatus;

  /** Who answered, as the official wrote it (an answer through the link). */
  @Column({ name: 'answered_by_name', type: 'text', nullable: true })
  answeredByName: string | null;

  @Column({ name: 'answered_by_position', type: 'text', nullable: true })
  answeredByPosition: string | null;

  /** When an organiser approved or rejected an answer. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** When its text was made public (automatic notices are owed from then). */
  @Column({ name: 'public_at', type: 'timestamptz', nullable: true })
  publicAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
