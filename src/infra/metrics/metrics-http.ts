import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppError, CommonErrors } from '../../common/app-error';
import { ErrorBody, toErrorResponse } from '../../common/error-response';
import type { Environment } from '../../config/environment';
import { bearerMatches } from './metric-labels';
import { MetricsService } from './metrics.service';

/** Where the metrics are served, on the HTTP app (with METRICS_TOKEN) and on the metrics listener (METRICS_PORT). */
export const METRICS_PATH = '/metrics';

export const MetricsErrors = {
  tokenInvalid: () =>
    new AppError(HttpStatus.UNAUTHORIZED, 'METRICS_TOKEN_INVALID', 'A valid metrics token is required.', undefined, { 'WWW-Authenticate': 'Bearer' }),
};

/** An answer to GET /metrics: the exposition, or an error in the API's shape. */
export type MetricsAnswer =
  | { status: 200; headers: Record<string, string>; body: string }
  | { status: number; headers: Record<string, string>; body: ErrorBody };

/** An error in the one shape (`{statusCode, code, message}`), with its headers. */
export function errorAnswer(error: AppError, bodyLimit: number): MetricsAnswer {
  const { body, headers } = toErrorResponse(error, bodyLimit);
  return { status: body.statusCode, headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body };
}

/**
 * GET /metrics: with METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>` (no
 * header: 401 AUTH_REQUIRED; another token: 401 METRICS_TOKEN_INVALID); `token` undefined lets
 * anyone through (the metrics listener without METRICS_TOKEN: a port kept private).
 */
export async function answerMetrics(metrics: MetricsService, token: string | undefined, authorization: string | undefined, bodyLimit: number): Promise<MetricsAnswer> {
  if (token !== undefined) {
    if (authorization === undefined) return errorAnswer(CommonErrors.authRequired(), bodyLimit);
    if (!bearerMatches(authorization, token)) return errorAnswer(MetricsErrors.tokenInvalid(), bodyLimit);
  }
  const { contentType, body } = await metrics.exposition();
  return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
}

/**
 * On the HTTP app: every answered request is counted and timed by its route pattern (Fastify's
 * `routeOptions.url`, never the address sent), in an onResponse hook (after the reply left; a
 * counter and a histogram observation, nothing awaited). With METRICS_TOKEN set, GET /metrics
 * answers the bearer of that token; without it there is no such route (404 ROUTE_NOT_FOUND).
 */
export function mountMetrics(app: NestFastifyApplication, env: Environment): void {
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  const token = env.http.METRICS_TOKEN;
  if (token === undefined) return;
  fastify.get(METRICS_PATH, async (request, reply) => {
    const answer = await answerMetrics(metrics, token, request.headers.authorization, env.BODY_LIMIT_BYTES);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
}
