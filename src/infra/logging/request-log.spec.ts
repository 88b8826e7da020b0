import fastify, { type FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { logRequests } from './request-log';

/** A Fastify app with the request log, its pino logger writing into `lines`. */
async function appWithLog(level: string): Promise<{ app: FastifyInstance; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      callback();
    },
  });
  let next = 0;
  const app = fastify({ genReqId: () => `r${++next}` });
  logRequests(app, pino({ level, base: { role: 'all' } }, sink));
  app.get('/api/v1/campaigns', async () => ({ ok: true }));
  app.get('/en/confirm/:token', async () => 'page');
  app.get('/health/ready', async () => ({ ok: true }));
  app.get('/broken', async (_request, reply) => reply.code(503).send({ statusCode: 503 }));
  app.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 400)));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, lines };
}

describe('logRequests', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('writes one line per answered request: id, method, path without query or token, status, time', async () => {
    const made = await appWithLog('info');
    app = made.app;
    await app.inject({ method: 'GET', url: '/api/v1/campaigns?email=someone@example.org' });
    await app.inject({ method: 'GET', url: '/en/confirm/SECRET-TOKEN-123?utm=x' });
    await app.inject({ method: 'GET', url: '/no-such-page' });
    expect(made.lines).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        role: 'all',
        reqId: 'r1',
        req: { id: 'r1', method: 'GET', url: '/api/v1/campaigns' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        msg: 'request completed',
      },
      expect.objectContaining({ reqId: 'r2', req: { id: 'r2', method: 'GET', url: '/en/confirm/[token]' }, res: { statusCode: 200 } }),
      expect.objectContaining({ reqId: 'r3', res: { statusCode: 404 }, msg: 'request completed' }),
    ]);
    expect(JSON.stringify(made.lines)).not.toMatch(/SECRET|someone|utm/);
  });

  it('logs a 5xx as an error, and nothing for the health checks', async () => {
    const made = await appWithLog('info');
    app = made.app;
    await app.inject({ method: 'GET', url: '/health/ready' });
    await app.inject({ method: 'GET', url: '/broken' });
    expect(made.lines).toEqual([
      expect.objectContaining({
        level: 50,
        reqId: 'r2',
        req: { id: 'r2', method: 'GET', url: '/broken' },
        res: { statusCode: 503 },
        err: expect.objectContaining({ type: 'Error', message: 'failed with status code 503' }),
        msg: 'request errored',
      }),
    ]);
  });

  it('at LOG_LEVEL=warn keeps only the errored requests', async () => {
    const made = await appWithLog('warn');
    app = made.app;
    await app.inject({ method: 'GET', url: '/api/v1/campaigns' });
    await app.inject({ method: 'GET', url: '/broken' });
    expect(made.lines.map((l) => l.msg)).toEqual(['request errored']);
  });

  it('says when a client went away before its answer', async () => {
    const made = await appWithLog('info');
    app = made.app;
    const { port } = app.server.address() as AddressInfo;
    // An answered request over a real connection (closed after its answer) is not taken for an aborted one.
    await new Promise<void>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path: '/api/v1/campaigns', agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/slow?x=1' });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 100);
    });
    const until = Date.now() + 2000;
    while (!made.lines.some((l) => l.msg === 'request aborted') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500)); // past the slow route's answer: no line for it
    expect(made.lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['r1', 'request completed'],
      ['r2', 'request aborted'],
    ]);
    expect(made.lines[1]).toEqual(expect.objectContaining({ level: 30, req: { id: 'r2', method: 'GET', url: '/slow' } }));
  });
});
