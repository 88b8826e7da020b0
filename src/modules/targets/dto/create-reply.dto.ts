import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/trim';

/** An official's reply, as the organiser records it. */
export class CreateReplyDto {
  /** The day it arrived (YYYY-MM-DD), in the campaign's time zone: not after today there. */
  @ApiProperty({ format: 'date', example: '2026-11-20' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
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
