import { Injectable, OnModuleInit } from '@nestjs/common';
import { COLLECT_TIMEOUT_MS, MetricsService } from '../../infra/metrics/metrics.service';
import { LetterDispatchRepository } from './letter-dispatch.repository';

/** The letters' gauges, read from PostgreSQL when metrics are scraped (never per request). */
@Injectable()
export class LetterMetricsService implements OnModuleInit {
  constructor(
    private readonly dispatch: LetterDispatchRepository,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.addCollector(
      'letters',
      [
        { name: 'nida_letters_waiting', help: 'Letters waiting to be released to their target (LETTER_PACE_PER_HOUR, the target\'s hours).' },
        { name: 'nida_letters_waiting_oldest_age_seconds', help: 'How long the oldest waiting letter has waited (0: none).' },
      ],
      async () => {
        const { count, oldestAgeSeconds } = await this.dispatch.waiting(COLLECT_TIMEOUT_MS);
        return { nida_letters_waiting: [{ value: count }], nida_letters_waiting_oldest_age_seconds: [{ value: oldestAgeSeconds }] };
      },
    );
  }
}
