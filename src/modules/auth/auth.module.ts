import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { appSecret, Environment } from '../../config/environment';
import { AuditModule } from '../audit/audit.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { ConsoleSessionsService } from './console-sessions.service';
import { LoginThrottleService } from './login-throttle.service';
import { OrganiserAccessController } from './organiser-access.controller';

@Module({
  imports: [
    OrganisationsModule,
    AuditModule,
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
  providers: [AuthService, LoginThrottleService, ConsoleSessionsService, ConsoleSessionsRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, ConsoleSessionsService],
})
export class AuthModule {}
