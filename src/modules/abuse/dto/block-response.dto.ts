import { ApiEnum } from '../../../common/api-schema';
import { BLOCK_ACTIONS, BLOCK_TYPES, type Block, type BlockAction, type BlockType } from '../block.entity';

/** A block or allow entry, as admins see it. */
export class BlockResponseDto {
  id: string;
  @ApiEnum(BLOCK_TYPES)
  type: BlockType;
  /** As stored: normalised (an email as its key, a range as its network address). */
  value: string;
  @ApiEnum(BLOCK_ACTIONS)
  action: BlockAction;
  note: string | null;
  /** The admin who added it (null once that admin is deleted). */
  createdBy: string | null;
  createdAt: string;

  static from(b: Block): BlockResponseDto {
    return {
      id: b.id,
      type: b.type,
      value: b.value,
      action: b.action,
      note: b.note,
      createdBy: b.createdBy,
      createdAt: b.createdAt.toISOString(),
    };
  }
}
