import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { OrganiserNoticesRepository } from './organiser-notices.repository';
import { OrganiserNoticesService } from './organiser-notices.service';

/** Emails to a campaign's organisers: milestones of its goal, an urgent action's deadline. */
@Module({
  imports: [OrganisationsModule, MailModule],
  providers: [OrganiserNoticesService, OrganiserNoticesRepository],
  exports: [OrganiserNoticesService],
})
export class NoticesModule {}
