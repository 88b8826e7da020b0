import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/trim';

/** An official's reply, as the organiser records it. */
export class CreateReplyDto {
  /** The day it arrived (YYYY-MM-DD). */
  @IsISO8601({ strict: true }, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
  receivedOn: string;

  /** For the organisers: what the reply said. */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  summary: string;

  /** Shown on the public campaign, when given. */
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  publicText?: string;
}
