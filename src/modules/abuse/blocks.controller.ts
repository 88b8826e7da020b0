import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, RequireAdmin } from '../../common/principal';
import { uuidPipe } from '../../common/uuid.pipe';
import { BlocksService } from './blocks.service';
import { BlockResponseDto } from './dto/block-response.dto';
import { CreateBlockDto } from './dto/create-block.dto';

/** The block and allow lists signing is judged against (admins only). */
@ApiTags('abuse')
@ApiBearerAuth()
@RequireAdmin()
@Controller('api/v1/admin/blocks')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  /** Add an entry; 409 BLOCK_EXISTS when the lists have one of this type and value already. */
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateBlockDto, @Req() request: FastifyRequest): Promise<BlockResponseDto> {
    return this.blocks.create(principal, dto, request.ip);
  }

  /** Every entry, newest first. */
  @Get()
  list(): Promise<BlockResponseDto[]> {
    return this.blocks.list();
  }

  /** Remove an entry: it stops applying within seconds in every process (at once in this one). */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('BLOCK_NOT_FOUND')) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.blocks.remove(principal, id, request.ip);
  }
}
