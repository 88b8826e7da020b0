import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A reply an official sent, as an organiser recorded it. */
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
