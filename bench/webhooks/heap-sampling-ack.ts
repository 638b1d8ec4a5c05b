/**
 * Diagnostic aid (not a benchmark row): where the api thread allocates per webhook. The app as
 * `npm start` runs it, a warm-up, then `HEAP_SECONDS` (default 4) of the closed loop (32 senders)
 * with V8's sampling heap profiler on the api isolate, counting objects a GC has collected too
 * (allocation, not retention). Prints the sampled bytes per webhook and the top allocating
 * functions (self) and modules (grouped as the CPU profile groups them: cpu-profile-summary.ts).
 *   nice -n 10 npx tsx bench/webhooks/heap-sampling-ack.ts
 */
import { Session } from 'node:inspector/promises';
import { startAppUnderTest } from '../app-under-test';
import { runLoad } from '../load/http-load';
import { saleWebhooks, TILL_LOCATIONS } from './sale-webhooks';
import { moduleOf } from './cpu-profile-summary';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const seconds = Number(process.env.HEAP_SECONDS ?? 4);
const SECRET = 'heap-secret';
const root = new URL('../../', import.meta.url).href;

const app = await startAppUnderTest({});
try {
  for (const id of ['heap-warm', 'heap-load']) {
    await app.adminPost('/api/pos/connections', { id, kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
  }
  const batch = (connectionId: string, count: number) => saleWebhooks({
    connectionId, secret: SECRET, count, prefix: connectionId, occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0,
  }).requests;
  await runLoad({ origin: app.origin, requests: batch('heap-warm', 3000), plan: { mode: 'closed', concurrency: 32, durationMs: 60_000 }, timeoutMs: 60_000 });
  const requests = batch('heap-load', 20_000 * seconds);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  } as never);
  const load = await runLoad({ origin: app.origin, requests, plan: { mode: 'closed', concurrency: 32, durationMs: seconds * 1000 }, timeoutMs: 60_000 });
  const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: SamplingNode } };
  session.disconnect();
  const answered = load.statuses.filter((s) => s === 200).length;

  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  const where = (url: string) => (url.startsWith(root) ? url.slice(root.length) : url.replace(/^.*node_modules\//, 'node_modules/')) || '(native)';
  const walk = (node: SamplingNode) => {
    if (node.selfSize > 0) {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = where(url);
      const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
      const module = moduleOf(url, functionName);
      byModule.set(module, (byModule.get(module) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    node.children.forEach(walk);
  };
  walk(profile.head);
  const kb = (bytes: number) => (bytes / answered / 1024).toFixed(2);
  console.log(`${answered} webhooks answered 200 in ${seconds} s; sampled allocation on the api thread: ${kb(total)} KB per webhook\n`);
  const top = (title: string, map: Map<string, number>, n: number) => {
    console.log(title);
    for (const [name, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${(100 * bytes / total).toFixed(1).padStart(6)} % ${kb(bytes).padStart(8)} KB  ${name}`);
    }
    console.log('');
  };
  top('by module (self):', byModule, 25);
  top('by function (self):', byFunction, 40);
} finally {
  await app.close();
}
