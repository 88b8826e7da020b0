import { mountQueueDashboard } from './queue-dashboard';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Server as NetServer } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoRoot } from 'pino';
import { ROOT_LOGGER } from './infra/logging/logging.module';
import { logRequests } from './infra/logging/request-log';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AppError, CommonErrors } from './common/app-error';
import { formBodyParser, jsonBodyParser } from './common/body-parsers';
import { answerClientError } from './common/client-error';
import { securityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation.pipe';
import { Environment } from './config/environment';
import { mountMetrics } from './infra/metrics/metrics-http';
import { MEDIA_KEY, MEDIA_PATH_PREFIX } from './infra/storage/media-storage';
import { AppModule } from './app.module';
import { STATIC_ROOT } from './modules/pages/page-renderer';
import { documentCountRoute, mountCountRoute } from './modules/campaigns/campaign-count-http';
import { CampaignCountResponseDto } from './modules/campaigns/dto/public-campaign-response.dto';

/** TRUST_PROXY: a hop count, `true`, or addresses/CIDRs; unset trusts no X-Forwarded-For. */
function trustProxy(value: string | undefined): boolean | number | string {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') return true;
  return value;
}

function hasBody(headers: IncomingMessage['headers']): boolean {
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');
}

/** Our static files are flat and plainly named: anything else under /static/ names nothing. */
const STATIC_FILE = /^\/static\/[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*(?:\?|$)/;

/** The one API route that takes a multipart body: a campaign's photo. */
const MULTIPART_ROUTE = /^\/api\/v1\/campaigns\/[^/?]+\/image(?:\?|$)/;

/** A stored photo or card: `/media/<content hash>-<suffix>.<ext>` (MEDIA_KEY), nothing else. */
function isMediaFile(url: string): boolean {
  return MEDIA_KEY.test(url.slice(MEDIA_PATH_PREFIX.length).replace(/\?.*$/, ''));
}

function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*;/i.test(contentType ?? '');
}

/**
 * Checks every request before routing, in this order: an HTTP/1.1 request must name its Host (Node
 * would answer 400 itself, outside our error shape: see `requireHostHeader` below); the address
 * (U+0000, written %00, is refused everywhere: PostgreSQL refuses it in text; /static/ takes plain
 * file names only, so `..`, `%2e%2e`, `%5c` and `%00` there are 404); then Content-Encoding (we
 * take no compressed bodies: no browser sends them, and decompressing is work a client could
 * multiply; only the exact `identity` passes, the one value @fastify/compress lets through
 * untouched); then the media type of API bodies (JSON only). Null when the request may go on.
 */
function refuseRequest(request: FastifyRequest): AppError | null {
  const { url, headers } = request;
  if (request.raw.httpVersion === '1.1' && headers.host === undefined) return CommonErrors.requestMalformed('The Host header is missing.');
  if (url.startsWith('/static/') && !STATIC_FILE.test(url)) return CommonErrors.routeNotFound();
  if (url.startsWith(MEDIA_PATH_PREFIX) && !isMediaFile(url)) return CommonErrors.routeNotFound();
  if (/%00/.test(url)) return CommonErrors.pathMalformed();
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return CommonErrors.contentEncodingUnsupported();
  // The JSON API takes JSON only (Fastify would also parse text and forms): anything else is 415.
  if (url.startsWith('/api/') && hasBody(headers) && !isJson(headers['content-type'])) {
    if (!(MULTIPART_ROUTE.test(url) && isMultipart(headers['content-type']))) return CommonErrors.unsupportedMediaType();
  }
  return null;
}

/** The Fastify instances of api processes being stopped: every answer closes its connection (drainHttp). */
const draining = new WeakSet<object>();

/**
 * The first step of stopping an api process (SIGTERM), before Nest closes it. The port closes at
 * once: a proxy's new connection is refused, and it tries the request on another process (safe for
 * a POST too: it never reached this one). Requests on connections already open are answered as
 * usual, with `Connection: close`. Idle kept-alive connections are left for the client to close
 * (nginx's upstream keepalive_timeout): closing one here races a request the proxy may be sending
 * on it at that moment, which it must not retry once sent (a POST) and so would fail. Resolves
 * when every connection is closed, or after `maxMs` with how many are open; Nest's close then
 * closes what is left.
 */
export function drainHttp(app: NestFastifyApplication, maxMs: number): Promise<{ drained: boolean; open: number }> {
  draining.add(app.getHttpAdapter().getInstance());
  const server = app.getHttpServer() as NetServer;
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.getConnections((_, open) => resolve({ drained: false, open })), maxMs);
    // net.Server's close stops accepting and keeps the open connections (http.Server's also closes
    // the idle ones); its callback runs once the last one has closed.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(timer);
      resolve({ drained: true, open: 0 });
    });
  });
}

/** How many times BODY_LIMIT_BYTES a form body may take (see the body parsers below). */
export const FORM_BODY_FACTOR = 6;

/** The HTTP app (roles `api` and `all`), configured but not listening. */
export async function createHttpApp(env: Environment): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: trustProxy(env.TRUST_PROXY),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Requests Node's HTTP parser refuses (malformed, bad Content-Length, headers too large) are
    // answered in our error shape too.
    clientErrorHandler: answerClientError,
    // A request without Host reaches our hook (refuseRequest), which answers it in our shape.
    http: { requireHostHeader: false },
    // Percent-encoded Arabic slugs are long (six characters a letter); Fastify's default is 100.
    routerOptions: { maxParamLength: 1000 },
    // Errors the router raises itself (a malformed or over-long path) take our shape too.
    frameworkErrors: (error: { code?: string }, _request: unknown, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = tooLong
        ? { statusCode: 414, code: 'PATH_TOO_LONG', message: 'The address is too long.' }
        : { statusCode: 400, code: 'PATH_MALFORMED', message: 'The address is malformed.' };
      void reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
    },
    // A sane X-Request-Id from a proxy is kept, anything else replaced; it is echoed back and logged.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(env), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  // With the S3 store, pages show photos and cards from its public address.
  const s3Images = env.media.STORAGE_BACKEND === 's3' && env.media.S3_PUBLIC_URL ? [new URL(env.media.S3_PUBLIC_URL).origin] : [];
  const security = securityHeaders(s3Images);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(security).header('x-request-id', request.id);
    if (draining.has(fastify)) void reply.header('connection', 'close');
    done(refuseRequest(request) ?? undefined);
  });
  logRequests(fastify, app.get<PinoRoot>(ROOT_LOGGER));
  // JSON and form bodies, refused when they nest too deep or hold U+0000 (see body-parsers.ts).
  // Forms (the pages and the console; the API takes JSON only) may be FORM_BODY_FACTOR times
  // larger: a browser percent-encodes each Arabic letter as six characters, so the campaign form's
  // two 20,000-character texts would not fit in what the same texts take as JSON.
  const bodyLimit = env.BODY_LIMIT_BYTES;
  app.useBodyParser('application/json', { bodyLimit }, jsonBodyParser(fastify.getDefaultJsonParser('error', 'error')));
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: bodyLimit * FORM_BODY_FACTOR }, formBodyParser());
  // Pages, scripts and JSON leave compressed (brotli or gzip) when the client accepts it.
  // Responses up to 4 MiB are compressed in one synchronous call: the plugin's stream path (its
  // default above a size it computes) sent an empty body for /docs/openapi.json (health e2e test).
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024, syncThreshold: 4 * 1024 * 1024 });
  // Static assets are addressed with a hash of their content (PageRenderer.asset): cached for a year.
  // Partner sites load embed.js, so they may be used from any origin.
  await app.register(fastifyStatic, {
    root: STATIC_ROOT,
    prefix: '/static/',
    decorateReply: false,
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
    setHeaders: (res) => void res.header('Cross-Origin-Resource-Policy', 'cross-origin'),
  });
  // Multipart bodies (a campaign's photo) are read as streams by the route itself (readUpload,
  // common/multipart-upload.ts), which applies IMAGE_MAX_BYTES while the file arrives.
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });
  // Photos and share cards in the local store: content-hashed names, so cached for a year too.
  // Only what Nida made is there (resized, metadata-free versions, cards), never an upload as sent.
  if (env.media.STORAGE_BACKEND === 'local') {
    const mediaRoot = resolve(env.media.STORAGE_DIR);
    mkdirSync(mediaRoot, { recursive: true });
    await app.register(fastifyStatic, {
      root: mediaRoot,
      prefix: MEDIA_PATH_PREFIX,
      decorateReply: false,
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
      dotfiles: 'deny',
      index: false,
      list: false,
      setHeaders: (res) => void res.header('Cross-Origin-Resource-Policy', 'cross-origin'),
    });
  }
  await mountQueueDashboard(app, env);
  mountMetrics(app, env);
  mountCountRoute(app, env.BODY_LIMIT_BYTES);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(env.BODY_LIMIT_BYTES));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Nida API')
      .setDescription('Petitions and urgent actions: campaigns, signatures, letters and counts.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [CampaignCountResponseDto] },
  );
  documentCountRoute(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The worker process (role `worker`): queue workers and sweeps, no HTTP. */
export async function createWorkerContext(env: Environment): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.register(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}
