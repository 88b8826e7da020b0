import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireAdmin } from '../../common/principal';
import { CreateOrganisationDto } from './dto/create-organisation.dto';
import { CreateOrganiserDto } from './dto/create-organiser.dto';
import { OrganisationResponseDto } from './dto/organisation-response.dto';
import { OrganiserResponseDto } from './dto/organiser-response.dto';
import { OrganisationsService } from './organisations.service';
import { uuidPipe } from '../../common/uuid.pipe';

@ApiTags('organisations')
@ApiBearerAuth()
@RequireAdmin()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  create(@Body() dto: CreateOrganisationDto): Promise<OrganisationResponseDto> {
    return this.organisations.createOrganisation(dto.name);
  }

  @Get()
  list(): Promise<OrganisationResponseDto[]> {
    return this.organisations.listOrganisations();
  }

  @Post(':id/organisers')
  createOrganiser(
    @Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) id: string,
    @Body() dto: CreateOrganiserDto,
  ): Promise<OrganiserResponseDto> {
    return this.organisations.createOrganiser(id, dto);
  }

  @Get(':id/organisers')
  listOrganisers(@Param('id', uuidPipe('ORGANISATION_NOT_FOUND')) id: string): Promise<OrganiserResponseDto[]> {
    return this.organisations.listOrganisers(id);
  }
}
