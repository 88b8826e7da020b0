import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organisation } from './organisation.entity';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';
import { Organiser } from './organiser.entity';
import { OrganisersRepository } from './organisers.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Organisation, Organiser])],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, OrganisationsRepository, OrganisersRepository],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
