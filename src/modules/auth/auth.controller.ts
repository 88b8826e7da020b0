import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OrganiserResponseDto } from '../organisations/dto/organiser-response.dto';
import { OrganisationsService } from '../organisations/organisations.service';
import { AuthService } from './auth.service';
import { LoginResponseDto } from './dto/login-response.dto';
import { LoginDto } from './dto/login.dto';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly organisations: OrganisationsService,
  ) {}

  /** Exchanges an organiser's email and password for a short-lived bearer token. */
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, request.ip);
  }

  /** The organiser behind the token. */
  @Get('me')
  @ApiBearerAuth()
  @RequireOrganiser()
  me(@CurrentPrincipal() principal: Principal): Promise<OrganiserResponseDto> {
    return this.organisations.getOrganiser(principal.id);
  }
}
