import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One bulk invalidation: who took which signatures out of a campaign's count, why and how many. */
@Entity({ name: 'invalidations' })
export class Invalidation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** The criteria as given: ipHash, domain, emailPattern, from, to, status. */
  @Column({ type: 'jsonb' })
  criteria: Record<string, unknown>;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'integer' })
  matched: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
