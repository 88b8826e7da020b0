import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Block, type BlockAction, type BlockType } from './block.entity';
import type { ListEntry } from './block-lists';

export interface NewBlock {
  type: BlockType;
  value: string;
  action: BlockAction;
  note: string | null;
  createdBy: string | null;
}

/** The only code that queries the block and allow lists. */
@Injectable()
export class BlocksRepository {
  constructor(@InjectRepository(Block) private readonly repo: Repository<Block>) {}

  /** Inserts an entry; a repeated (type, value) fails with PostgreSQL's unique violation on blocks_type_value_key. */
  insert(b: NewBlock): Promise<Block> {
    return this.repo.save(this.repo.create(b));
  }

  /** Every entry, newest first. */
  list(): Promise<Block[]> {
    return this.repo.find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Deletes an entry; whether there was one. */
  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** What the in-memory lists are built from: type, value and action of every entry. */
  entries(): Promise<ListEntry[]> {
    return this.repo.find({ select: { type: true, value: true, action: true } });
  }
}
