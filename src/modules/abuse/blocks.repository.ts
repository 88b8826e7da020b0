import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(fn);
  }

  /** Inserts an entry; a repeated (type, value) fails with PostgreSQL's unique violation on blocks_type_value_key. */
  insert(m: EntityManager, b: NewBlock): Promise<Block> {
    return m.save(m.create(Block, b));
  }

  /** Every entry, newest first. */
  list(): Promise<Block[]> {
    return this.repo.find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** In the caller's transaction: deletes an entry; its type and action, or null when there was none. */
  async delete(m: EntityManager, id: string): Promise<Pick<Block, 'type' | 'action'> | null> {
    // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [Pick<Block, 'type' | 'action'>[], number] = await m.query(`DELETE FROM blocks WHERE id = $1 RETURNING type, action`, [id]);
    return rows[0] ?? null;
  }

  /** What the in-memory lists are built from: type, value and action of every entry. */
  entries(): Promise<ListEntry[]> {
    return this.repo.find({ select: { type: true, value: true, action: true } });
  }
}
