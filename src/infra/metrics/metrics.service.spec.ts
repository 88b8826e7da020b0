import { COLLECT_TIMEOUT_MS, MetricsService } from './metrics.service';

/** One metric's lines of the exposition (no HELP/TYPE). */
function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('MetricsService', () => {
  it('has its own registry: two services count apart', async () => {
    const [a, b] = [new MetricsService(), new MetricsService()];
    a.confirmation();
    a.confirmation();
    b.confirmation();
    expect(lines((await a.exposition()).body, 'nida_signature_confirmations_total')).toEqual(['nida_signature_confirmations_total 2']);
    expect(lines((await b.exposition()).body, 'nida_signature_confirmations_total')).toEqual(['nida_signature_confirmations_total 1']);
  });

  it('shows every outcome and send result from the start, at 0, and Node\'s default metrics', async () => {
    const { body, contentType } = await new MetricsService().exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(lines(body, 'nida_signatures_total').sort()).toEqual(
      ['blocked', 'duplicate', 'held', 'pending'].map((o) => `nida_signatures_total{outcome="${o}"} 0`),
    );
    expect(lines(body, 'nida_mail_sends_total')).toHaveLength(3);
    expect(lines(body, 'nida_letter_sends_total')).toHaveLength(3);
    expect(lines(body, 'nida_update_email_sends_total')).toHaveLength(3);
    expect(body).toMatch(/^process_cpu_user_seconds_total /m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('counts and times a request by method, route pattern and status', async () => {
    const m = new MetricsService();
    m.observeHttp('POST', '/api/v1/campaigns/:slug/signatures', 202, 0.02);
    m.observeHttp('POST', '/api/v1/campaigns/:slug/signatures', 202, 0.2);
    m.observeHttp('BREW', undefined, 404, 0.001);
    const { body } = await m.exposition();
    expect(lines(body, 'nida_http_requests_total').sort()).toEqual([
      'nida_http_requests_total{method="POST",route="/api/v1/campaigns/:slug/signatures",status="202"} 2',
      'nida_http_requests_total{method="other",route="unmatched",status="404"} 1',
    ]);
    expect(lines(body, 'nida_http_request_duration_seconds_count').sort()).toEqual([
      'nida_http_request_duration_seconds_count{method="POST",route="/api/v1/campaigns/:slug/signatures",status_class="2xx"} 2',
      'nida_http_request_duration_seconds_count{method="other",route="unmatched",status_class="4xx"} 1',
    ]);
    expect(body).toContain('nida_http_request_duration_seconds_bucket{le="0.025",method="POST",route="/api/v1/campaigns/:slug/signatures",status_class="2xx"} 1');
  });

  it('reads a collector once per scrape for all its gauges, only when scraped', async () => {
    const m = new MetricsService();
    let reads = 0;
    m.addCollector('things', [{ name: 'nida_test_a', help: 'a', labelNames: ['k'] }, { name: 'nida_test_b', help: 'b' }], async () => {
      reads++;
      return { nida_test_a: [{ labels: { k: 'x' }, value: 3 }], nida_test_b: [{ value: reads }] };
    });
    expect(reads).toBe(0);
    const { body } = await m.exposition();
    expect(reads).toBe(1);
    expect(lines(body, 'nida_test_a')).toEqual(['nida_test_a{k="x"} 3']);
    expect(lines(body, 'nida_test_b')).toEqual(['nida_test_b 1']);
    expect(lines(body, 'nida_metrics_collector_up')).toEqual(['nida_metrics_collector_up{collector="things"} 1']);
    await m.exposition();
    expect(reads).toBe(2);
  });

  it('leaves out the gauges of a failed read, and marks the collector down', async () => {
    const m = new MetricsService();
    let fail = false;
    m.addCollector('things', [{ name: 'nida_test_a', help: 'a', labelNames: ['k'] }], async () => {
      if (fail) throw new Error('down');
      return { nida_test_a: [{ labels: { k: 'x' }, value: 3 }] };
    });
    expect(lines((await m.exposition()).body, 'nida_test_a')).toEqual(['nida_test_a{k="x"} 3']);
    fail = true;
    const { body } = await m.exposition();
    expect(lines(body, 'nida_test_a')).toEqual([]);
    expect(lines(body, 'nida_metrics_collector_up')).toEqual(['nida_metrics_collector_up{collector="things"} 0']);
  });

  it('answers within COLLECT_TIMEOUT_MS when a read hangs, and does not start it again while it hangs', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const m = new MetricsService();
      let reads = 0;
      m.addCollector('stuck', [{ name: 'nida_test_stuck', help: 's', labelNames: ['k'] }], () => {
        reads++;
        return new Promise(() => undefined);
      });
      for (let i = 0; i < 2; i++) {
        const scrape = m.exposition();
        await jest.advanceTimersByTimeAsync(COLLECT_TIMEOUT_MS);
        const { body } = await scrape;
        expect(lines(body, 'nida_metrics_collector_up')).toEqual(['nida_metrics_collector_up{collector="stuck"} 0']);
        expect(lines(body, 'nida_test_stuck')).toEqual([]);
      }
      expect(reads).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a collector name twice', () => {
    const m = new MetricsService();
    m.addCollector('x', [], async () => ({}));
    expect(() => m.addCollector('x', [], async () => ({}))).toThrow('added twice');
  });
});
