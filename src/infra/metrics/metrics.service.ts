import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { methodLabel, routeLabel, SharedRead, statusClass, within } from './metric-labels';

/** What became of a signature at signing (SignaturesService.sign). */
export type SignatureOutcome = 'pending' | 'duplicate' | 'held' | 'blocked';
export const SIGNATURE_OUTCOMES: readonly SignatureOutcome[] = ['pending', 'duplicate', 'held', 'blocked'];

/** What became of one send attempt of an email or a letter. */
export type SendResult = 'sent' | 'failed' | 'retried';
export const SEND_RESULTS: readonly SendResult[] = ['sent', 'failed', 'retried'];

/** How long a scrape-time read (Redis, PostgreSQL) may take before its gauges are left out of the scrape. */
export const COLLECT_TIMEOUT_MS = 1500;

/** A gauge read at scrape time: its name, help and label names. */
export interface ScrapeGauge {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

/** One value of a scrape-time gauge. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

/** What a collector's read returns: the samples of each of its gauges, by gauge name. */
export type Samples = Record<string, Sample[]>;

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Nida's Prometheus metrics, in a registry of their own (one per app, never prom-client's global
 * one, so two apps in one process do not collide). Counters are bumped where things happen
 * (cheap, synchronous: no await, no allocation beyond prom-client's own); gauges that need
 * PostgreSQL or Redis are read only when scraped (`addCollector`), each read bounded by
 * COLLECT_TIMEOUT_MS and never run twice at once. No label ever holds a slug, an address or an id.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'nida_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'nida_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly signatures = new Counter({
    name: 'nida_signatures_total',
    help: 'Signatures taken, by outcome: pending (new, confirmation sent), duplicate, held, blocked.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly confirmations = new Counter({
    name: 'nida_signature_confirmations_total',
    help: 'Signatures confirmed (each counted once, when it became verified).',
    registers: [this.registry],
  });

  private readonly mailSends = new Counter({
    name: 'nida_mail_sends_total',
    help: 'Send attempts of the platform\'s emails (the mail outbox), by result: sent, retried (a temporary failure), failed (for good).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly letterSends = new Counter({
    name: 'nida_letter_sends_total',
    help: 'Send attempts of letters to targets, by result: sent, retried (a temporary failure), failed (for good).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly updateEmailSends = new Counter({
    name: 'nida_update_email_sends_total',
    help: 'Update emails (batch emails to supporters) by result: sent, retried (a temporary failure), failed (for good).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly collectors = new Map<string, SharedRead<Samples | null>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every series of a closed label set exists from the start, at 0, so a rate never misses its first step.
    for (const outcome of SIGNATURE_OUTCOMES) this.signatures.inc({ outcome }, 0);
    for (const result of SEND_RESULTS) {
      this.mailSends.inc({ result }, 0);
      this.letterSends.inc({ result }, 0);
      this.updateEmailSends.inc({ result }, 0);
    }
    const collectors = this.collectors;
    new Gauge({
      name: 'nida_metrics_collector_up',
      help: 'Whether a scrape-time read answered within its time (1) or failed or timed out (0, its gauges left out).',
      labelNames: ['collector'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all([...collectors].map(async ([collector, read]) => this.set({ collector }, (await read.get()) ? 1 : 0)));
      },
    });
  }

  observeHttp(method: string, route: string | undefined, status: number, seconds: number): void {
    const m = methodLabel(method);
    const r = routeLabel(route);
    this.httpRequests.inc({ method: m, route: r, status: String(status) });
    this.httpDuration.observe({ method: m, route: r, status_class: statusClass(status) }, seconds);
  }

  signature(outcome: SignatureOutcome): void {
    this.signatures.inc({ outcome });
  }

  confirmation(): void {
    this.confirmations.inc();
  }

  mailSend(result: SendResult, count = 1): void {
    this.mailSends.inc({ result }, count);
  }

  letterSend(result: SendResult, count = 1): void {
    this.letterSends.inc({ result }, count);
  }

  updateEmailSend(result: SendResult, count = 1): void {
    this.updateEmailSends.inc({ result }, count);
  }

  /**
   * Gauges filled at scrape time by one `read` (named `collector` in nida_metrics_collector_up).
   * The read runs once per scrape for all its gauges, at most COLLECT_TIMEOUT_MS; when it fails or
   * takes longer, its gauges are left out of that scrape (never a stale value) and a read still
   * hanging is shared by the next scrapes rather than started again.
   */
  addCollector(collector: string, gauges: readonly ScrapeGauge[], read: () => Promise<Samples>): void {
    if (this.collectors.has(collector)) throw new Error(`metrics collector ${collector} added twice`);
    const hanging = new SharedRead(read);
    const scrape = new SharedRead(() => within(hanging.get(), COLLECT_TIMEOUT_MS).catch(() => null));
    this.collectors.set(collector, scrape);
    for (const gauge of gauges) {
      new Gauge({
        name: gauge.name,
        help: gauge.help,
        labelNames: gauge.labelNames ?? [],
        registers: [this.registry],
        async collect() {
          const samples = await scrape.get();
          this.reset();
          for (const sample of samples?.[gauge.name] ?? []) this.set(sample.labels ?? {}, sample.value);
        },
      });
    }
  }

  /** The exposition (Prometheus text format) and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
