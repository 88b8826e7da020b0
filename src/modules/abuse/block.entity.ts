import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const BLOCK_TYPES = ['ip', 'cidr', 'domain', 'email'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];
export const BLOCK_ACTIONS = ['block', 'allow'] as const;
export type BlockAction = (typeof BLOCK_ACTIONS)[number];

/** An entry of the block and allow lists, kept by admins. */
@Entity({ name: 'blocks' })
export class Block {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: BlockType;

  /** An address, a CIDR range, a domain or a normalised email. */
  @Column({ type: 'text' })
  value: string;

  @Column({ type: 'text', default: 'block' })
  action: BlockAction;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
