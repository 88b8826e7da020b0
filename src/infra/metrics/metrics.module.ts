import { Global, Module } from '@nestjs/common';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';
import { QueueMetrics } from './queue-metrics';

/**
 * Prometheus metrics for every module (MetricsService: counters to bump, scrape-time gauges to
 * add), the queues' depths, and the metrics listener (METRICS_PORT). The HTTP app's /metrics
 * route and request timing are mounted by createHttpApp (mountMetrics).
 */
@Global()
@Module({
  providers: [MetricsService, QueueMetrics, MetricsListener],
  exports: [MetricsService],
})
export class MetricsModule {}

/**
 * MetricsService alone, for the CLI's contexts: the services it builds count as they do in the
 * app, into a registry nobody scrapes (no listener, no queue gauges: a command never opens a port
 * or a queue beside a running Nida).
 */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsCountersModule {}
