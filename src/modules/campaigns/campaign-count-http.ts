import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../../common/error-response';
import { CampaignErrors } from './campaigns.errors';
import { CampaignsService } from './campaigns.service';

/** The count alone, for pages and embeds that refresh it (the public contract's `GET /api/v1/campaigns/:slug/count`). */
export const COUNT_ROUTE = '/api/v1/campaigns/:slug/count';

/**
 * Headers of every answer of the count route, its errors too (as the Nest route had them): a proxy
 * may keep it for 2 s; any site may read it. The security headers and X-Request-Id come before
 * them, from app.factory's onRequest hook, as for every route.
 */
const COUNT_HEADERS = {
  'access-control-allow-origin': '*',
  'cache-control': 'public, max-age=2',
  'content-type': 'application/json; charset=utf-8',
} as const;

/**
 * GET (and HEAD) `/api/v1/campaigns/:slug/count` as a plain Fastify route: the hottest public read,
 * and one with nothing for Nest's pipeline to do (no guard, body, validation or DTO to transform).
 * Its answer is the body CampaignsService keeps serialised per slug for COUNT_CACHE_MS (one load
 * of PostgreSQL for all concurrent misses), copied out with headers worked out once: a read with a
 * fresh body cached waits for no promise. What every request still gets is everything app-wide:
 * routing and the slug's decoding (Fastify's router, as for the Nest route before), the onRequest
 * checks and security headers, the request log line (request-log.ts) and the metrics (onResponse, by
 * this route pattern). Its answers are the Nest route's, byte for byte: test/e2e/count-route.e2e-spec.ts.
 * Its bodies are far under @fastify/compress's 1,024-byte threshold, which never compressed them,
 * so that plugin's hooks are left off the route.
 */
export function mountCountRoute(app: NestFastifyApplication, bodyLimit: number): void {
  const campaigns = app.get(CampaignsService);
  const notFound = Buffer.from(JSON.stringify(toErrorResponse(CampaignErrors.notFound(), bodyLimit).body));
  const answer = (reply: FastifyReply, body: Buffer | null): void => {
    if (body === null) void reply.code(404).send(notFound);
    else void reply.send(body);
  };
  const fail = (reply: FastifyReply, error: unknown): void => {
    // Anything else (PostgreSQL away): the one error shape, logged as an unhandled error, as a Nest route would.
    const { body, headers } = toErrorResponse(error, bodyLimit, reply.request.id);
    void reply.headers(headers).code(body.statusCode).send(Buffer.from(JSON.stringify(body)));
  };
  app.getHttpAdapter().getInstance().route({
    method: 'GET',
    url: COUNT_ROUTE,
    compress: false,
    decompress: false,
    handler(request: FastifyRequest, reply: FastifyReply): void {
      const { slug } = request.params as { slug: string };
      // `…/campaigns//count` reached no route when Nest registered it (404 ROUTE_NOT_FOUND): still so.
      if (slug === '') return void reply.callNotFound();
      void reply.headers(COUNT_HEADERS);
      const cached = campaigns.cachedCountBody(slug);
      if (cached !== undefined) return answer(reply, cached.value);
      campaigns.countBody(slug).then(
        (body) => answer(reply, body),
        (error: unknown) => fail(reply, error),
      );
    },
  });
}

/** The count route in the OpenAPI document, as Nest's swagger module described it when it was a controller's. */
export function documentCountRoute(document: OpenAPIObject): void {
  document.paths['/api/v1/campaigns/{slug}/count'] = {
    get: {
      operationId: 'CampaignsController_count',
      parameters: [{ name: 'slug', required: true, in: 'path', schema: { type: 'string' } }],
      responses: {
        200: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/CampaignCountResponseDto' } } } },
      },
      summary: 'The count alone, for pages and embeds that refresh it; a proxy may keep it for 2 s; any site may read it.',
      tags: ['campaigns'],
    },
  };
}
