import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { redactUrl } from './redact-url';

/** Requests that get no line: the health checks a load balancer makes every few seconds. */
const unlogged = (url: string): boolean => url.startsWith('/health');

/**
 * One JSON line for every answered request, written from Fastify's own hooks with the root logger:
 * `{reqId, req: {id, method, url}, res: {statusCode}, responseTime, msg: "request completed"}`, the
 * line pino-http wrote for us, key for key; a 5xx is logged at `error` as "request errored". It
 * replaces pino-http's middleware, which made two child loggers and bound three listeners for every
 * request, whatever the log level (about a tenth of a signing process's CPU in a profile), and
 * nothing is made here when the level leaves the line out. The path loses its query and any
 * confirmation token (redactUrl); headers, bodies and client addresses are never logged.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const statusCode = reply.statusCode;
    const errored = statusCode >= 500;
    if (!logger.isLevelEnabled(errored ? 'error' : 'info') || unlogged(request.url)) return done();
    const line = {
      reqId: request.id,
      req: { id: request.id, method: request.method, url: redactUrl(request.url) },
      res: { statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (errored) logger.error({ ...line, err: new Error(`failed with status code ${statusCode}`) }, 'request errored');
    else logger.info(line, 'request completed');
    done();
  });
  // A client that goes away before its answer: the line says so (no status was sent).
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: () => void) => {
    if (logger.isLevelEnabled('info') && !unlogged(request.url)) {
      logger.info({ reqId: request.id, req: { id: request.id, method: request.method, url: redactUrl(request.url) } }, 'request aborted');
    }
    done();
  });
}
