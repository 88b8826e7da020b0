import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiEnum } from '../../../common/api-schema';
import { Trim } from '../../../common/trim';
import { BLOCK_ACTIONS, BLOCK_TYPES, type BlockAction, type BlockType } from '../block.entity';

/** An entry of the block or allow list. `value` is checked against its `type` by the service. */
export class CreateBlockDto {
  /** `ip` (one address), `cidr` (a range, e.g. `192.0.2.0/24`), `domain` (an email domain and its subdomains) or `email`. */
  @ApiEnum(BLOCK_TYPES)
  @IsIn(BLOCK_TYPES)
  type: BlockType;

  /** The address, range, domain or email (an email is stored normalised, as signing compares it). */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  value: string;

  /** `block` (default): the same 202, nothing stored or mailed; `allow`: no rate limits. */
  @IsOptional()
  @ApiEnum(BLOCK_ACTIONS, { required: false })
  @IsIn(BLOCK_ACTIONS)
  action?: BlockAction;

  /** Why, for the other admins. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}
