import { Injectable, OnModuleInit } from '@nestjs/common';
import { COLLECT_TIMEOUT_MS, MetricsService } from '../../infra/metrics/metrics.service';
import { TallyRepository } from './tally.repository';

/** Unfolded events are counted up to this many (a count past it says enough, and costs more). */
export const UNFOLDED_COUNT_CAP = 100_000;

/** The tally's gauges, read from tally_events when metrics are scraped (never per request). */
@Injectable()
export class TallyMetricsService implements OnModuleInit {
  constructor(
    private readonly tally: TallyRepository,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.addCollector(
      'tally',
      [
        {
          name: 'nida_tally_lag_seconds',
          help: 'Age of the oldest tally event not yet folded into the counts, in seconds (0: none waiting).',
        },
        { name: 'nida_tally_unfolded_events', help: `Tally events not yet folded into the counts (counted up to ${UNFOLDED_COUNT_CAP}).` },
      ],
      async () => {
        const { oldestAgeSeconds, count } = await this.tally.unfolded(COLLECT_TIMEOUT_MS, UNFOLDED_COUNT_CAP);
        return {
          nida_tally_lag_seconds: [{ value: oldestAgeSeconds }],
          nida_tally_unfolded_events: [{ value: count }],
        };
      },
    );
  }
}
