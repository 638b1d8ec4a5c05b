import { describe, expect, it } from 'vitest';
import { summarize } from './summary';

describe('the bench summary', () => {
  it('takes each CONTRACT key from its row in this run, and leaves out keys whose benchmark did not run', () => {
    const summary = summarize([
      { name: 'webhooks: bare Fastify 200, open loop 1000/s for 5 s, p99', value: 4.2, unit: 'ms' },
      { name: 'webhooks: ack p99, open loop 1000/s for 5 s (target < 50 ms)', value: 31.5, unit: 'ms', baseline: 'webhooks: bare Fastify 200, open loop 1000/s for 5 s, p99', ratio: 7.5 },
      { name: 'webhooks: closed loop 64 senders, ack p99', value: 90, unit: 'ms' },
      { name: 'webhooks: closed loop 64 senders, 5 s', value: 3000, unit: 'webhooks/s', baseline: 'bare', ratio: 0.42 },
      { name: 'coldLocation: first decision, 1000 events, from the snapshot (target < 1000 ms)', value: 12, unit: 'ms', baseline: 'x', ratio: 0.01 },
    ]);
    expect(summary).toMatchObject({ 'ack.p99Ms': 31.5, 'ack.bareP99Ms': 4.2, 'ingest.ratio': 0.42, 'ingest.webhooksPerSec': 3000, 'coldLocation.ms': 12 });
    expect(summary['memory.rssMb']).toBeGreaterThan(0);
    expect(summary).not.toHaveProperty('freshness.p99Ms');
    expect(summary).not.toHaveProperty('rebuild.eventsPerSec');
    expect(summary).not.toHaveProperty('rebuild.catchUpEventsPerSec');
  });

  it('turns the closed loop\'s CPU cost multiples into ratios comparable to ingest.ratio (bare / app)', () => {
    const summary = summarize([
      { name: 'webhooks: CPU per request, bare Fastify, closed loop 32 senders, whole process', value: 0.16, unit: 'ms' },
      { name: 'webhooks: CPU per request, bare Fastify, closed loop 32 senders, server thread', value: 0.05, unit: 'ms' },
      { name: 'webhooks: CPU per webhook, closed loop 32 senders, whole process', value: 0.64, unit: 'ms', baseline: 'bare process', ratio: 4 },
      { name: 'webhooks: CPU per webhook, closed loop 32 senders, api thread', value: 0.2, unit: 'ms', baseline: 'bare server', ratio: 4 },
      { name: 'webhooks: CPU per webhook, closed loop 32 senders, thread st-projector', value: 0.19, unit: 'ms' },
    ]);
    expect(summary).toMatchObject({ 'ingest.cpuRatio': 0.25, 'ingest.apiThreadRatio': 0.25, 'ingest.cpuPerWebhookMs': 0.64, 'ingest.apiThreadCpuPerWebhookMs': 0.2 });
    expect(summary).not.toHaveProperty('ingest.ratio'); // the CPU rows are not the closed loop's rate
  });

  it('takes freshness from the webhook -> SSE benchmark when it ran, else from the single-client receipt probe', () => {
    const sse = { name: 'sse: answer -> frame p99, 100 receipts every 20 ms (target < 100 ms)', value: 40, unit: 'ms' };
    expect(summarize([sse])['freshness.p99Ms']).toBe(40);
    const both = summarize([
      sse,
      { name: 'freshness: bare SSE endpoint, sent -> frame p99, 1000/s for 1 s, 100 SSE clients', value: 9, unit: 'ms' },
      { name: 'freshness: webhook sent -> SSE frame p50, 1000/s for 1 s, 100 SSE clients', value: 60, unit: 'ms' },
      { name: 'freshness: webhook sent -> SSE frame p99, 1000/s for 1 s, 100 SSE clients (target < 100 ms)', value: 180, unit: 'ms', baseline: 'x', ratio: 20 },
    ]);
    expect(both).toMatchObject({ 'freshness.p99Ms': 180, 'freshness.p50Ms': 60, 'freshness.bareP99Ms': 9 });
  });

  it('takes the rebuild, catch-up and peak RSS figures of the projections benchmark', () => {
    const rebuild = 'projections: rebuild, read models (catalog+stock+transfers)';
    const summary = summarize([
      { name: 'projections: read the log (readAll pages)', value: 150_000, unit: 'events/s' },
      { name: rebuild, value: 90_000, unit: 'events/s', baseline: 'projections: read the log (readAll pages)', ratio: 0.6 },
      { name: 'projections: live catch-up of an empty read store (bulk fold, then live)', value: 60_000, unit: 'events/s', baseline: rebuild, ratio: 0.667 },
      { name: 'projections: peak RSS after the rebuilds (read models)', value: 420, unit: 'MiB' },
    ]);
    expect(summary).toMatchObject({
      'rebuild.eventsPerSec': 90_000, 'rebuild.ratio': 0.6, 'rebuild.catchUpEventsPerSec': 60_000, 'rebuild.catchUpRatio': 0.667, 'rebuild.peakRssMb': 420,
      'catchUp.eventsPerSec': 60_000, 'catchUp.ratio': 0.667, 'rebuild.logReadEventsPerSec': 150_000,
    });
  });
});
