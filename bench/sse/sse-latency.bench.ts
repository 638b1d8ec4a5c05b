/**
 * SSE latency, end to end over 127.0.0.1 (target: p99 under 100 ms from a command's answer to
 * the SSE client receiving the change).
 *
 * A client worker holds `GET /api/stream` open as the admin and sends stock receipts through
 * the API at a steady pace, across the demo chain's stores and SKUs; for each, the time from
 * its HTTP answer to the first `stock` frame of that location+SKU at or after the answered
 * position. The time goes to: the projection runner picking the event up from the log, the
 * read-model commit, and the stream route's write. Baseline: the same client and pace against
 * a bare SSE endpoint (same process) that writes the frame right after answering. A command
 * that fails or whose frame never comes makes the benchmark throw.
 *
 * Run alone: `npx tsx bench/sse/sse-latency.bench.ts` (`BENCH_QUICK=1` for a short run).
 */
import { pathToFileURL } from 'node:url';
import { demoProducts } from '../../server/demo/demo-chain';
import { startAppUnderTest } from '../app-under-test';
import { comparedRow, type BenchRow } from '../bench-row';
import { startBareSseServer } from '../load/bare-servers';
import type { LoadRequest } from '../load/http-load';
import { round2, summarize } from '../stats';
import { runSseProbe, type SseProbeResult, type SseProbeSpec } from './sse-probe';

export interface SseLatencyOptions {
  readonly commands: number;
  readonly intervalMs: number;
}

export const FULL: SseLatencyOptions = { commands: 500, intervalMs: 20 };
export const QUICK: SseLatencyOptions = { commands: 100, intervalMs: 20 };

const STORES = ['store-downtown', 'store-uptown', 'store-airport'] as const;
const SETTLE_MS = 5000;
const TIMEOUT_MS = 10_000;

/** Command i: one unit of a demo SKU received at a store (location and SKU vary together). */
function target(i: number): { locationId: string; sku: string } {
  return { locationId: STORES[i % STORES.length]!, sku: demoProducts[i % demoProducts.length]!.sku };
}

function checked(label: string, r: SseProbeResult, commands: number): number[] {
  if (r.failed.length > 0) throw new Error(`${label}: ${r.failed.length} commands failed: ${r.failed.slice(0, 5).join('; ')}`);
  if (r.missing > 0) throw new Error(`${label}: ${r.missing} of ${commands} changes never reached the SSE client`);
  return r.latencies;
}

export async function benchSseLatency(o: SseLatencyOptions = process.env.BENCH_QUICK === '1' ? QUICK : FULL): Promise<BenchRow[]> {
  const keys = Array.from({ length: o.commands }, (_, i) => `${target(i).locationId}|${target(i).sku}`);
  const probe = (origin: string, stream: SseProbeSpec['stream'], commands: LoadRequest[]) =>
    runSseProbe({ origin, stream, commands, keys, intervalMs: o.intervalMs, settleMs: SETTLE_MS, timeoutMs: TIMEOUT_MS });

  const bare = await startBareSseServer();
  let bareResult: SseProbeResult;
  try {
    const triggers = keys.map((_, i): LoadRequest => ({
      method: 'POST', path: '/trigger', headers: { 'content-type': 'application/json' }, body: JSON.stringify(target(i)),
    }));
    bareResult = await probe(bare.origin, { path: '/stream', headers: {} }, triggers);
  } finally {
    await bare.close();
  }
  const bareLat = summarize(checked('bare SSE', bareResult, o.commands));

  const app = await startAppUnderTest();
  let appResult: SseProbeResult;
  try {
    const headers = { 'content-type': 'application/json', authorization: app.bearer };
    const receipts = keys.map((_, i): LoadRequest => {
      const { locationId, sku } = target(i);
      return { method: 'POST', path: '/api/stock/receipts', headers, body: JSON.stringify({ locationId, lines: [{ sku, quantity: 1 }], reference: `bench-sse-${i}` }) };
    });
    appResult = await probe(app.origin, { path: '/api/stream', headers: { authorization: app.bearer } }, receipts);
  } finally {
    await app.close();
  }
  const lat = summarize(checked('app SSE', appResult, o.commands));

  const pace = `${o.commands} receipts every ${o.intervalMs} ms`;
  const bareP99 = `sse: bare SSE endpoint, answer -> frame p99, ${pace}`;
  return [
    { name: bareP99, value: round2(bareLat.p99), unit: 'ms' },
    { name: `sse: answer -> frame p50, ${pace}`, value: round2(lat.p50), unit: 'ms' },
    comparedRow(`sse: answer -> frame p99, ${pace} (target < 100 ms)`, round2(lat.p99), 'ms', bareP99, bareLat.p99),
    { name: `sse: answer -> frame max, ${pace}`, value: round2(lat.max), unit: 'ms' },
    { name: 'sse: frames that arrived before the answer', value: appResult.beforeAnswer, unit: 'commands' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchSseLatency());
}
