import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Logger } from 'pino';
import { AppSettings } from '../../config/environment';

/** The process's one pino logger: Nest's log calls (through nestjs-pino) and the request lines (request-log.ts) both write with it. */
export const ROOT_LOGGER = 'ROOT_LOGGER';

@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [AppSettings],
      useFactory: (app: AppSettings): Logger => pino({ level: app.LOG_LEVEL, base: { role: app.APP_ROLE } }),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Structured JSON logs. Nest's `Logger` writes through nestjs-pino to the root logger; the request
 * line (method, path without query, status and time: never headers, bodies, client addresses or
 * tokens) is written by Fastify hooks (logRequests, mounted by app.factory), so nestjs-pino binds
 * no middleware to any route (`forRoutes: []`).
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (root: Logger) => ({ pinoHttp: { logger: root }, forRoutes: [] }),
    }),
  ],
  exports: [RootLoggerModule],
})
export class LoggingModule {}
