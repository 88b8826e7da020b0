import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TRENDING_WINDOW_NAMES, type TrendingWindow } from '../trending-window';

export class TrendingQueryDto {
  /** How far back to count new signatures: 15m, 1h, 6h or 24h. */
  @ApiPropertyOptional({ enum: TRENDING_WINDOW_NAMES, default: '1h' })
  @IsOptional()
  @IsIn(TRENDING_WINDOW_NAMES)
  window: TrendingWindow = '1h';
}
