import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommonErrors } from '../../common/app-error';
import { IntervalLoop } from '../../common/interval-loop';
import type { Principal } from '../../common/principal';
import { safeError } from '../../common/safe-error';
import { AppSettings } from '../../config/environment';
import { isUniqueViolation } from '../../infra/database/postgres-errors';
import { AuditService } from '../audit/audit.service';
import { AbuseErrors } from './abuse.errors';
import { BlockLists } from './block-lists';
import { normaliseBlockValue } from './block-values';
import { BlocksRepository } from './blocks.repository';
import { BlockResponseDto } from './dto/block-response.dto';
import type { CreateBlockDto } from './dto/create-block.dto';

/** How often each process reads the lists again (a change made in this process applies at once). */
export const BLOCK_LISTS_RELOAD_MS = 5000;

/**
 * The block and allow lists: admins' changes, and the copy in memory that signing is judged
 * against (no query per signature). Each API process reads the lists at start, every
 * BLOCK_LISTS_RELOAD_MS, and right after a change it made, so a change reaches every process
 * within seconds.
 */
@Injectable()
export class BlocksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BlocksService.name);
  private current = new BlockLists();
  /** Reads are numbered as they start; a slower older read never replaces a newer one. */
  private started = 0;
  private applied = 0;
  private readonly loop = new IntervalLoop('block-lists', BLOCK_LISTS_RELOAD_MS, () => this.reload(), this.logger);

  constructor(
    private readonly blocks: BlocksRepository,
    private readonly app: AppSettings,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.app.APP_ROLE === 'worker') return; // workers never sign
    await this.reload().catch((error: unknown) => this.logger.warn({ err: safeError(error) }, 'block lists not read; retrying'));
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** The lists as this process last read them. */
  lists(): BlockLists {
    return this.current;
  }

  /** Reads the lists from PostgreSQL into memory. */
  async reload(): Promise<void> {
    const seq = ++this.started;
    const entries = await this.blocks.entries();
    if (seq < this.applied) return;
    this.applied = seq;
    this.current = new BlockLists(entries);
  }

  /** Adds an entry, audited in its transaction (its type and action: the value may be an email or an address). */
  async create(principal: Principal, dto: CreateBlockDto, ip: string | null = null): Promise<BlockResponseDto> {
    const normal = normaliseBlockValue(dto.type, dto.value);
    if ('problem' in normal) throw CommonErrors.validation([{ field: 'value', problems: [normal.problem] }]);
    let created;
    try {
      created = await this.blocks.transaction(async (m) => {
        const block = await this.blocks.insert(m, {
          type: dto.type,
          value: normal.value,
          action: dto.action ?? 'block',
          note: dto.note || null,
          createdBy: principal.id,
        });
        await this.audit.record({ actor: principal, action: 'blocks.add', subjectId: block.id, details: { type: block.type, action: block.action }, ip }, m);
        return block;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'blocks_type_value_key')) throw AbuseErrors.blockExists();
      throw error;
    }
    await this.reload();
    return BlockResponseDto.from(created);
  }

  async list(): Promise<BlockResponseDto[]> {
    return (await this.blocks.list()).map((b) => BlockResponseDto.from(b));
  }

  /** Removes an entry, audited in its transaction. */
  async remove(principal: Principal, id: string, ip: string | null = null): Promise<void> {
    await this.blocks.transaction(async (m) => {
      const removed = await this.blocks.delete(m, id);
      if (!removed) throw AbuseErrors.blockNotFound();
      await this.audit.record({ actor: principal, action: 'blocks.remove', subjectId: id, details: { type: removed.type, action: removed.action }, ip }, m);
    });
    await this.reload();
  }
}
