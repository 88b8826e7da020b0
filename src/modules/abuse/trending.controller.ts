import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireAdmin } from '../../common/principal';
import { TrendingQueryDto } from './dto/trending-query.dto';
import { TrendingResponseDto } from './dto/trending-response.dto';
import { TrendingService } from './trending.service';

@ApiTags('abuse')
@ApiBearerAuth()
@RequireAdmin()
@Controller('api/v1/admin/trending')
export class TrendingController {
  constructor(private readonly trending: TrendingService) {}

  /** Per campaign, the client addresses (keyed hashes), email domains and countries with the most new signatures in the window. */
  @Get()
  top(@Query() query: TrendingQueryDto): Promise<TrendingResponseDto> {
    return this.trending.top(query.window);
  }
}
