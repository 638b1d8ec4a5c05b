/**
 * Gauges read when Prometheus scrapes, from the stores' own records, so nothing in the runner,
 * the sender or the intake changes to feed them:
 * - projection lag per projector: the log head minus its checkpoint (events), and how long ago
 *   the oldest event it has not applied was recorded (seconds; 0 when caught up);
 * - outbound deliveries by status (pending, failed = waiting for a retry, dead = gave up);
 * - the POS quarantine (open items).
 * Lists are counted up to COUNT_CAP per scrape (a gauge at the cap means "at least").
 */
import { Gauge } from 'prom-client';
import type { ReadStore } from '../projections/readstore/port';
import type { EventStore } from '../write-side/eventstore/port';
import type { OutboundStore } from '../outbound/store/outbound-store';
import type { ConnectionStore } from '../pos/connections/connection-store';
import type { Metrics } from './registry';

export const COUNT_CAP = 10_000;

export interface CollectorDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly projections: readonly string[];
  readonly outbound: OutboundStore;
  readonly connections: ConnectionStore;
  readonly clock?: () => Date;
}

/** Runs one collector, counting (not throwing) its failure: a scrape must answer. */
async function guarded<T>(metrics: Metrics, name: string, collect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await collect();
  } catch {
    metrics.scrapeErrors.inc({ collector: name });
    return undefined;
  }
}

interface LagReading {
  readonly head: bigint;
  readonly projections: ReadonlyArray<{ name: string; events: number; seconds: number }>;
}

/** The log head, each projector's checkpoint, and when the first event past it was recorded. */
async function readLag(deps: CollectorDeps, now: () => Date): Promise<LagReading> {
  const head = await deps.eventStore.headPosition();
  const oldest = new Map<bigint, number>(); // projectors often share a checkpoint: one read each
  const projections = [];
  for (const name of deps.projections) {
    const checkpoint = await deps.readStore.checkpoint(name);
    const behind = head > checkpoint ? head - checkpoint : 0n;
    if (behind === 0n) {
      projections.push({ name, events: 0, seconds: 0 });
      continue;
    }
    if (!oldest.has(checkpoint)) {
      const [next] = await deps.eventStore.readAll({ after: checkpoint, maxCount: 1 });
      const recordedAt = (next?.data as { recordedAt?: unknown } | undefined)?.recordedAt;
      oldest.set(checkpoint, typeof recordedAt === 'string' ? Date.parse(recordedAt) : now().getTime());
    }
    projections.push({ name, events: Number(behind), seconds: Math.max(0, (now().getTime() - oldest.get(checkpoint)!) / 1000) });
  }
  return { head, projections };
}

export function registerCollectors(metrics: Metrics, deps: CollectorDeps): void {
  const now = deps.clock ?? (() => new Date());
  const registers = [metrics.registry];
  // prom-client collects every metric of a scrape concurrently: the three log gauges share one
  // reading of the head and the checkpoints per scrape.
  let reading: Promise<LagReading | undefined> | undefined;
  const lag = (): Promise<LagReading | undefined> => {
    reading ??= guarded(metrics, 'projection-lag', () => readLag(deps, now)).finally(() => {
      reading = undefined;
    });
    return reading;
  };
  new Gauge({
    name: 'stocktide_event_log_head_position', help: 'Position of the last event in the log', registers,
    async collect() {
      const r = await lag();
      if (r) this.set(Number(r.head));
    },
  });
  new Gauge({
    name: 'stocktide_projection_lag_events', help: 'Events in the log that a projector has not applied yet', labelNames: ['projection'], registers,
    async collect() {
      for (const p of (await lag())?.projections ?? []) this.set({ projection: p.name }, p.events);
    },
  });
  new Gauge({
    name: 'stocktide_projection_lag_seconds', help: 'Age of the oldest event a projector has not applied yet (0: caught up)', labelNames: ['projection'], registers,
    async collect() {
      for (const p of (await lag())?.projections ?? []) this.set({ projection: p.name }, p.seconds);
    },
  });
  new Gauge({
    name: 'stocktide_outbound_deliveries', help: `Outbound deliveries (webhooks and POS pushes) by status, counted up to ${COUNT_CAP}`,
    labelNames: ['status'], registers,
    async collect() {
      await guarded(metrics, 'outbound', async () => {
        for (const status of ['pending', 'failed', 'dead'] as const) {
          this.set({ status }, (await deps.outbound.listDeliveries({ status, limit: COUNT_CAP })).length);
        }
      });
    },
  });
  new Gauge({
    name: 'stocktide_pos_quarantine_open', help: `POS deliveries kept in quarantine, not yet released, counted up to ${COUNT_CAP}`, registers,
    async collect() {
      await guarded(metrics, 'quarantine', async () => {
        this.set((await deps.connections.listQuarantine({ status: 'open', limit: COUNT_CAP })).length);
      });
    },
  });
}
