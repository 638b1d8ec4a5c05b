/**
 * Freshness, end to end over 127.0.0.1 (target: p99 under 100 ms from a POS webhook being sent
 * to the SSE frame of the stock it changed, at 1,000 webhooks/s with 100 SSE clients).
 *
 * The real app gets signed generic sales in an open loop from a client worker that also holds
 * `clients` streams of `GET /api/stream` open (as the admin: every store's changes); for each
 * sale answered with a position, the time from its due time to the first `stock` frame of its
 * location+SKU at or after that position, on each measured client. The time goes to: the ack
 * path (to the durable append), the projector picking the events up from the log and committing
 * its batch, the api learning of the change (read store change log), and the fan-out to every
 * client. Baseline: the same clients, rate and requests against a bare SSE endpoint that writes
 * the frame right after answering. A webhook answered without a frame reaching a measured
 * client makes the benchmark throw.
 *
 * Warm-up (both servers alike, documented in docs/benchmarks.md): `warmupRequests` of the same
 * kind in a closed loop before the measured run, so the figure is not the JIT's first minutes;
 * the app's measured run starts with the projector caught up with the log. Then, with the 100
 * streams open, `streamedWarmupRequests` at the measured rate, not measured: the fan-out's first
 * second (new streams, cold code) is not the steady state the target is about.
 *
 * Run alone: `npx tsx bench/sse/freshness.bench.ts` (`BENCH_QUICK=1` for a short run).
 */
import { pathToFileURL } from 'node:url';
import { projectorCaughtUp, startAppUnderTest } from '../app-under-test';
import { comparedRow, type BenchRow } from '../bench-row';
import { startBareSseServer } from '../load/bare-servers';
import { runLoad, type LoadRequest } from '../load/http-load';
import { round2, summarize } from '../stats';
import { saleWebhooks, TILL_LOCATIONS } from '../webhooks/sale-webhooks';
import { runFreshnessProbe, type FreshnessProbeResult, type FreshnessProbeSpec } from './freshness-probe';

export interface FreshnessOptions {
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly clients: number;
  /** Clients whose frames are timed (every client receives every frame). */
  readonly measured: number;
  readonly warmupRequests: number;
  /** Sent at the rate with the streams open before the measured run, not measured (freshness-probe.ts). */
  readonly streamedWarmupRequests: number;
}

export const FULL: FreshnessOptions = { ratePerSecond: 1000, seconds: 10, clients: 100, measured: 4, warmupRequests: 3000, streamedWarmupRequests: 1000 };
export const QUICK: FreshnessOptions = { ratePerSecond: 1000, seconds: 1, clients: 100, measured: 4, warmupRequests: 2000, streamedWarmupRequests: 1000 };

const SECRET = 'bench-freshness-secret';
const SETTLE_MS = 15_000;
const TIMEOUT_MS = 60_000;

function checked(label: string, r: FreshnessProbeResult): number[] {
  if (r.failed.length > 0) throw new Error(`${label}: webhooks failed: ${r.failed.join('; ')}`);
  if (r.missing > 0) throw new Error(`${label}: ${r.missing} (webhook, client) frames never arrived`);
  return r.latencies;
}

export async function benchFreshness(o: FreshnessOptions = process.env.BENCH_QUICK === '1' ? QUICK : FULL): Promise<BenchRow[]> {
  const sales = saleWebhooks({
    connectionId: 'bench-fresh', secret: SECRET, count: o.ratePerSecond * o.seconds, prefix: 'fresh', occurredAt: new Date(),
    duplicateEvery: 0, duplicateLag: 0,
  });
  const streamed = saleWebhooks({
    connectionId: 'bench-fresh', secret: SECRET, count: o.streamedWarmupRequests, prefix: 'fresh-streamed', occurredAt: new Date(),
    duplicateEvery: 0, duplicateLag: 0,
  });
  const probe = (origin: string, stream: FreshnessProbeSpec['stream'], webhooks: readonly LoadRequest[], streamedWarmup: readonly LoadRequest[]) => runFreshnessProbe({
    origin, stream, clients: o.clients, measured: o.measured, webhooks, keys: sales.stockKeys, ratePerSecond: o.ratePerSecond,
    settleMs: SETTLE_MS, timeoutMs: TIMEOUT_MS, streamedWarmup: { webhooks: streamedWarmup, keys: streamed.stockKeys },
  });

  const warm = saleWebhooks({
    connectionId: 'bench-fresh', secret: SECRET, count: o.warmupRequests, prefix: 'fresh-warm', occurredAt: new Date(),
    duplicateEvery: 0, duplicateLag: 0,
  });
  const warmUp = async (origin: string, requests: readonly LoadRequest[]) => {
    const r = await runLoad({ origin, requests, plan: { mode: 'closed', concurrency: 32, durationMs: 60_000 }, timeoutMs: TIMEOUT_MS });
    const bad = r.statuses.filter((s) => s < 200 || s > 299).length;
    if (bad > 0) throw new Error(`warm-up: ${bad} requests failed; ${r.errors.join('; ')}`);
  };
  const triggersOf = (keys: readonly string[]) => keys.map((key): LoadRequest => {
    const [locationId, sku] = key.split('|');
    return { method: 'POST', path: '/trigger', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locationId, sku }) };
  });

  const bare = await startBareSseServer();
  let bareResult: FreshnessProbeResult;
  try {
    await warmUp(bare.origin, triggersOf(warm.stockKeys));
    bareResult = await probe(bare.origin, { path: '/stream', headers: {} }, triggersOf(sales.stockKeys), triggersOf(streamed.stockKeys));
  } finally {
    await bare.close();
  }
  const bareLat = summarize(checked('bare SSE', bareResult));

  const app = await startAppUnderTest();
  let appResult: FreshnessProbeResult;
  try {
    await app.adminPost('/api/pos/connections', { id: 'bench-fresh', kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
    await warmUp(app.origin, warm.requests);
    await projectorCaughtUp(app);
    appResult = await probe(app.origin, { path: '/api/stream', headers: { authorization: app.bearer } }, sales.requests, streamed.requests);
  } finally {
    await app.close();
  }
  const lat = summarize(checked('app', appResult));

  const plan = `${o.ratePerSecond}/s for ${o.seconds} s, ${o.clients} SSE clients`;
  const bareP99 = `freshness: bare SSE endpoint, sent -> frame p99, ${plan}`;
  return [
    { name: bareP99, value: round2(bareLat.p99), unit: 'ms' },
    { name: `freshness: webhook sent -> SSE frame p50, ${plan}`, value: round2(lat.p50), unit: 'ms' },
    comparedRow(`freshness: webhook sent -> SSE frame p99, ${plan} (target < 100 ms)`, round2(lat.p99), 'ms', bareP99, bareLat.p99),
    { name: `freshness: webhook sent -> SSE frame max, ${plan}`, value: round2(lat.max), unit: 'ms' },
    { name: 'freshness: webhooks answered 202 pending (no position to match)', value: appResult.unmatched, unit: 'webhooks' },
    { name: 'freshness: SSE clients dropped by the server as too slow', value: appResult.dropped, unit: 'clients' },
    { name: `freshness: bytes streamed to ${o.clients} clients`, value: appResult.bytes, unit: 'bytes' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchFreshness());
}
