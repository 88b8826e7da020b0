import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpStatus } from '@nestjs/common';
import { AppError, CommonErrors } from './common/app-error';
import { parseCookies } from './common/cookies';
import { toErrorResponse } from './common/error-response';
import type { Principal } from './common/principal';
import type { Environment } from './config/environment';
import { QueueName } from './infra/queue/queue-names';
import { AuthErrors } from './modules/auth/auth.errors';
import { AuthService } from './modules/auth/auth.service';
import { CONSOLE_SESSION_COOKIE, ConsoleSessionsService } from './modules/auth/console-sessions.service';

/** Where the queue dashboard lives (QUEUE_DASHBOARD). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

const READ_ONLY = () =>
  new AppError(HttpStatus.FORBIDDEN, 'QUEUE_DASHBOARD_READ_ONLY', 'The queue dashboard is read-only (QUEUE_DASHBOARD=read-only).');

/**
 * Who may use the dashboard: an enabled admin, by bearer token (any method) or by the console's
 * session cookie (reading; a write only from the dashboard's own page: Sec-Fetch-Site
 * same-origin, as the cookie is SameSite=Lax). Null when there is no such admin; throws 403 for
 * an organiser who is not an admin.
 */
async function admin(request: FastifyRequest, auth: AuthService, sessions: ConsoleSessionsService): Promise<Principal | null> {
  let principal: Principal | null;
  if (request.headers.authorization !== undefined) {
    principal = await auth.principalOfBearer(request.headers.authorization);
  } else {
    const sameOrigin = request.headers['sec-fetch-site'] === 'same-origin';
    if (!SAFE_METHODS.has(request.method) && !sameOrigin) return null;
    principal = (await sessions.resolve(parseCookies(request.headers.cookie).get(CONSOLE_SESSION_COOKIE)))?.principal ?? null;
  }
  if (principal && principal.role !== 'admin') throw AuthErrors.adminOnly();
  return principal;
}

/** Answers an AppError in the API's error shape (these routes are not Nest's: no exception filter). */
function refuse(reply: FastifyReply, error: unknown, bodyLimit: number): FastifyReply {
  const { body, headers } = toErrorResponse(error, bodyLimit);
  return reply.code(body.statusCode).headers(headers).type('application/json; charset=utf-8').send(body);
}

/**
 * Mounts @bull-board at QUEUE_DASHBOARD_PATH on the HTTP app (QUEUE_DASHBOARD: read-only by
 * default), behind `admin` above. Jobs carry ids only (never a supporter's address or name), so
 * the dashboard shows no personal data. Anyone else: 401 (a browser is sent to the console's
 * login), or 403 AUTH_ADMIN_ONLY for a signed-in organiser.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, env: Environment): Promise<void> {
  if (env.QUEUE_DASHBOARD === 'off') return;
  const readOnlyMode = env.QUEUE_DASHBOARD === 'read-only';
  const queues = Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode, allowRetries: !readOnlyMode }));
  const board = new BullBoardFastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues, serverAdapter: board, options: { uiConfig: { boardTitle: 'Nida queues' } } });

  const auth = app.get(AuthService);
  const sessions = app.get(ConsoleSessionsService);
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        try {
          if (await admin(request, auth, sessions)) {
            // Read-only means no write at all, also those the board would let through (pause all, purge metrics).
            if (readOnlyMode && !SAFE_METHODS.has(request.method)) return refuse(reply, READ_ONLY(), env.BODY_LIMIT_BYTES);
            return;
          }
        } catch (error) {
          return refuse(reply, error, env.BODY_LIMIT_BYTES);
        }
        if (SAFE_METHODS.has(request.method) && /text\/html/.test(request.headers.accept ?? '')) {
          return reply.code(303).header('location', '/en/console/login').send();
        }
        return refuse(reply, CommonErrors.authRequired(), env.BODY_LIMIT_BYTES);
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    },
  );
}
