import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, CommonErrors } from '../../common/app-error';
import { HttpSettings } from '../../config/environment';
import { answerMetrics, errorAnswer, METRICS_PATH, MetricsAnswer } from './metrics-http';
import { MetricsService } from './metrics.service';

/**
 * The metrics listener (METRICS_PORT; off when 0), in every role — the one way to scrape a worker,
 * which has no HTTP app. It serves GET /metrics and nothing else (404 ROUTE_NOT_FOUND; another
 * method 405), on METRICS_HOST (HOST when unset), and asks for METRICS_TOKEN when that is set.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    private readonly http: HttpSettings,
  ) {}

  /** The port it listens on (METRICS_PORT), once listening. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.http.METRICS_PORT;
    if (!port) return;
    const host = this.http.METRICS_HOST ?? this.http.HOST;
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.logger.warn({ err: { type: error.name } }, 'Metrics listener error'));
    this.server = server;
    this.logger.log(`Metrics on ${host.includes(':') ? `[${host}]` : host}:${port}${METRICS_PATH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bodyLimit = 1024;
    let answer: MetricsAnswer;
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path !== METRICS_PATH) answer = errorAnswer(CommonErrors.routeNotFound(), bodyLimit);
      else if (req.method !== 'GET' && req.method !== 'HEAD') {
        answer = errorAnswer(new AppError(405, 'METHOD_NOT_ALLOWED', 'This method is not allowed here.', undefined, { Allow: 'GET, HEAD' }), bodyLimit);
      } else answer = await answerMetrics(this.metrics, this.http.METRICS_TOKEN, req.headers.authorization, bodyLimit);
    } catch {
      answer = errorAnswer(CommonErrors.internal(), bodyLimit);
    }
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
