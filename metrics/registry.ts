/**
 * Stocktide's Prometheus metrics (prom-client), one registry per app (tests build several apps
 * in one process; the global registry would refuse the second). Instruments fed as things
 * happen (histograms, the SSE gauge) live here; gauges that are cheaper to read when scraped
 * (projection lag, outbox, quarantine) are collected in collectors.ts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly webhookAck: Histogram<'kind' | 'status'>;
  readonly append: Histogram<'outcome'>;
  readonly sseClients: Gauge<'stream'>;
  readonly scrapeErrors: Counter<'collector'>;
}

/** Seconds: from a few ms (an ack is one append) to the 5 s a POS gives up after. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stocktide_' });
  return {
    registry,
    webhookAck: new Histogram({
      name: 'stocktide_webhook_ack_seconds', help: 'Time from a POS webhook request to its answer, by POS kind and status class',
      labelNames: ['kind', 'status'], buckets: ACK_BUCKETS, registers: [registry],
    }),
    append: new Histogram({
      name: 'stocktide_event_append_seconds', help: 'Event store append latency (outcome: ok or error)',
      labelNames: ['outcome'], buckets: APPEND_BUCKETS, registers: [registry],
    }),
    sseClients: new Gauge({ name: 'stocktide_sse_clients', help: 'Server-Sent Events clients connected, by stream', labelNames: ['stream'], registers: [registry] }),
    scrapeErrors: new Counter({ name: 'stocktide_metrics_collect_errors_total', help: 'Collectors that failed during a scrape', labelNames: ['collector'], registers: [registry] }),
  };
}
