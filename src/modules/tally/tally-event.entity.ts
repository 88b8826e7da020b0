import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change to a campaign's counts, written in the transaction that confirms a signature and
 * deleted when the fold adds it to the counters.
 */
@Entity({ name: 'tally_events' })
export class TallyEvent {
  /** A `bigserial`: kept as a string, as `pg` hands it over. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ type: 'text' })
  country: string;

  /** `YYYY-MM-DD`, UTC. */
  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'integer', default: 1 })
  delta: number;

  /** When it was written (the metrics' tally lag is the oldest one's age). */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
