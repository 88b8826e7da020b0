import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppSettings } from '../../config/environment';

/** Paths that carry a secret (a confirmation token) lose it before they reach a log line. */
export function redactUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(/^(\/(?:[a-z]{2}\/)?confirm\/)[^/]+/, '$1[token]');
}

/**
 * Structured JSON logs with the request id Fastify gives each request (see app.factory). A request line holds method, path without query, status and time: never
 * headers, bodies, client addresses or tokens.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppSettings],
      useFactory: (app: AppSettings) => ({
        pinoHttp: {
          level: app.LOG_LEVEL,
          base: { role: app.APP_ROLE },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: redactUrl(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          quietReqLogger: true,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
