import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { appSecret, Environment } from '../../config/environment';
import { BackgroundTasks } from '../../common/background-tasks';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { ConsoleSessionsService } from './console-sessions.service';
import { LoginThrottleService } from './login-throttle.service';
import { InvitationsService } from './invitations.service';
import { OrganiserAccessController } from './organiser-access.controller';
import { OrganiserTokensRepository } from './organiser-tokens.repository';
import { PasswordResetService } from './password-reset.service';

@Module({
  imports: [
    OrganisationsModule,
    AuditModule,
    MailModule,
    JwtModule.registerAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        secret: appSecret(env),
        signOptions: { expiresIn: env.AUTH_TOKEN_TTL_SECONDS, algorithm: 'HS256', issuer: 'nida', audience: 'nida-api' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'nida', audience: 'nida-api' },
      }),
    }),
  ],
  controllers: [AuthController, OrganiserAccessController],
  providers: [AuthService, LoginThrottleService, ConsoleSessionsService, ConsoleSessionsRepository, PasswordResetService, InvitationsService, OrganiserTokensRepository, BackgroundTasks, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, ConsoleSessionsService, PasswordResetService, InvitationsService],
})
export class AuthModule {}
