import { Module } from '@nestjs/common';
import { SignaturesModule } from '../signatures/signatures.module';
import { ConfirmPageController } from './confirm-page.controller';
import { PageRenderer } from './page-renderer';

@Module({
  imports: [SignaturesModule],
  controllers: [ConfirmPageController],
  providers: [PageRenderer],
})
export class PagesModule {}
