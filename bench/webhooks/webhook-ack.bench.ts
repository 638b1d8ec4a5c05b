/**
 * Webhook acknowledgement, end to end over 127.0.0.1 (target: p99 under 50 ms at 1,000/s).
 *
 * The real app (embedded stores in a temp dir, demo chain) gets signed generic sale webhooks
 * from a client worker: an open loop at a fixed rate with a few percent byte-identical resends
 * (latency from each request's due time, so queueing counts), then a closed loop of N senders
 * for the maximum rate. Baseline: the same requests against a bare Fastify route that answers
 * 200 at once, in this process. Afterwards every answer and the event log are checked: each
 * sale stored exactly once with its units, each resend answered as a duplicate; otherwise it throws.
 *
 * Warm-up (both servers alike): `warmupRequests` in a closed loop of `closedConcurrency` senders
 * before the first measured phase. A fresh app's api thread costs about half as much per webhook
 * once V8 has optimized its path (measured with phase-trace.ts: ~1.1 ms -> ~0.7 ms of api-thread
 * CPU per webhook between the first and the second ~2,000 webhooks); 200 warm-up requests left
 * the 1-s quick phases measuring the JIT. Each measured phase of the app also starts with the
 * projector caught up with the log (its read position at the head), so a phase does not pay for
 * the one before it.
 *
 * Run alone: `npx tsx bench/webhooks/webhook-ack.bench.ts` (`BENCH_QUICK=1` for a short run).
 */
import { pathToFileURL } from 'node:url';
import { projectorCaughtUp, startAppUnderTest, type AppUnderTest } from '../app-under-test';
import { comparedRow, type BenchRow } from '../bench-row';
import { startBareAckServer } from '../load/bare-servers';
import { runLoad, type LoadPlan, type LoadRequest, type LoadResult } from '../load/http-load';
import { perSecond, round2, summarize } from '../stats';
import { checkAnswers, checkStored, saleWebhooks, TILL_LOCATIONS, type LoggedEvent } from './sale-webhooks';
import { cpuSpent, type CpuSpent } from './thread-cpu';

export interface WebhookAckOptions {
  readonly ratePerSecond: number;
  readonly openSeconds: number;
  readonly closedConcurrency: number;
  readonly closedSeconds: number;
  /** Upper bound of closed-loop requests (they are signed beforehand). */
  readonly closedMaxRequests: number;
  readonly warmupRequests: number;
  /** A second open loop at a rate the app sustains here: its latency without a queue. */
  readonly lowRatePerSecond: number;
  readonly lowSeconds: number;
}

export const FULL: WebhookAckOptions = {
  ratePerSecond: 1000, openSeconds: 10, closedConcurrency: 32, closedSeconds: 4, closedMaxRequests: 60_000, warmupRequests: 3000,
  lowRatePerSecond: 100, lowSeconds: 5,
};
export const QUICK: WebhookAckOptions = {
  ratePerSecond: 1000, openSeconds: 1, closedConcurrency: 32, closedSeconds: 1, closedMaxRequests: 15_000, warmupRequests: 2000,
  lowRatePerSecond: 100, lowSeconds: 1,
};

const SECRET = 'bench-generic-secret';
/** Long enough that an overloaded app still answers most requests (a client that gave up cannot check them). */
const TIMEOUT_MS = 60_000;
/** 1 in 33 requests (3 %) resends the one 20 before it: often still in flight at 1,000/s. */
const DUPLICATE_EVERY = 33;
const DUPLICATE_LAG = 20;

function allOk(label: string, result: LoadResult): void {
  const bad = result.statuses.filter((s) => s !== -1 && s !== 200).length;
  if (bad > 0) throw new Error(`${label}: ${bad} requests failed; ${result.errors.join('; ')}`);
}

/** Latencies of every request sent, failures included (at their failure time). */
const sentLatencies = (r: LoadResult) => r.latencies.filter((l) => !Number.isNaN(l));
const answeredCount = (r: LoadResult) => r.statuses.filter((s) => s > 0).length;
const toBare = (requests: readonly LoadRequest[]): LoadRequest[] => requests.map((r) => ({ ...r, path: '/hook' }));

async function readLogAfter(app: AppUnderTest, after: bigint): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let from = after; ;) {
    const page = await app.built.services.eventStore.readAll({ after: from, maxCount: 5000 });
    if (page.length === 0) return events;
    events.push(...page);
    from = page.at(-1)!.position;
  }
}

export async function benchWebhookAck(o: WebhookAckOptions = process.env.BENCH_QUICK === '1' ? QUICK : FULL, target: { databaseUrl?: string; appendInWorker?: boolean } = {}): Promise<BenchRow[]> {
  const now = new Date();
  const batch = (connectionId: string, prefix: string, count: number, duplicates: boolean) => saleWebhooks({
    connectionId, secret: SECRET, count, prefix, occurredAt: now,
    duplicateEvery: duplicates ? DUPLICATE_EVERY : 0, duplicateLag: DUPLICATE_LAG,
  });
  const warm = batch('bench-warm', 'warm', o.warmupRequests, false);
  const low = batch('bench-low', 'low', o.lowRatePerSecond * o.lowSeconds, true);
  const open = batch('bench-open', 'open', o.ratePerSecond * o.openSeconds, true);
  const closed = batch('bench-closed', 'closed', o.closedMaxRequests, false);
  const lowPlan: LoadPlan = { mode: 'open', ratePerSecond: o.lowRatePerSecond };
  const openPlan: LoadPlan = { mode: 'open', ratePerSecond: o.ratePerSecond };
  const closedPlan: LoadPlan = { mode: 'closed', concurrency: o.closedConcurrency, durationMs: o.closedSeconds * 1000 };
  const warmupPlan: LoadPlan = { mode: 'closed', concurrency: o.closedConcurrency, durationMs: 60_000 };

  // The baseline first, while the app does not exist yet.
  const bare = await startBareAckServer();
  let bareLow: LoadResult;
  let bareOpen: LoadResult;
  let bareClosed: LoadResult;
  let bareCpu: CpuSpent<LoadResult>;
  try {
    const run = (requests: readonly LoadRequest[], plan: LoadPlan) => runLoad({ origin: bare.origin, requests: toBare(requests), plan, timeoutMs: TIMEOUT_MS });
    allOk('bare warm-up', await run(warm.requests, warmupPlan));
    bareLow = await run(low.requests, lowPlan);
    allOk('bare low rate', bareLow);
    bareOpen = await run(open.requests, openPlan);
    allOk('bare open loop', bareOpen);
    bareCpu = await cpuSpent(() => run(closed.requests, closedPlan));
    bareClosed = bareCpu.result;
    allOk('bare closed loop', bareClosed);
  } finally {
    await bare.close();
  }

  const app = await startAppUnderTest(target);
  try {
    for (const id of ['bench-warm', 'bench-low', 'bench-open', 'bench-closed']) {
      await app.adminPost('/api/pos/connections', { id, kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
    }
    const head = await app.built.services.eventStore.headPosition();
    const run = async (requests: readonly LoadRequest[], plan: LoadPlan) => {
      await projectorCaughtUp(app);
      return runLoad({ origin: app.origin, requests, plan, timeoutMs: TIMEOUT_MS, keepBodies: true });
    };
    const warmResult = await run(warm.requests, warmupPlan);
    const lowResult = await run(low.requests, lowPlan);
    const openResult = await run(open.requests, openPlan);
    // The closed loop's CPU includes the projector's catching up with it: all the work its webhooks cause.
    await projectorCaughtUp(app);
    const appCpu = await cpuSpent(async () => {
      const result = await runLoad({ origin: app.origin, requests: closed.requests, plan: closedPlan, timeoutMs: TIMEOUT_MS, keepBodies: true });
      await projectorCaughtUp(app);
      return result;
    });
    const closedResult = appCpu.result;

    // Exactly once, or no figures at all. Deliveries answered 202 `pending` are applied from the
    // inbox after their answer: the log is read again (bounded) until they are all in it.
    const verifyAll = (log: readonly LoggedEvent[]) => {
      const verify = (connectionId: string, b: ReturnType<typeof batch>, r: LoadResult) => {
        const { applied, unanswered, pending } = checkAnswers(b.eventIds, r.statuses, r.bodies);
        const unitsOf = (ids: Iterable<string>) => new Map([...ids].map((id) => [id, b.units.get(id)!]));
        const stored = checkStored(log, connectionId, { exactlyOnce: unitsOf([...applied.keys(), ...pending]), atMostOnce: unitsOf(unanswered) });
        return { ...stored, unanswered: r.statuses.filter((s) => s === 0).length, pending: pending.size };
      };
      return [verify('bench-warm', warm, warmResult), verify('bench-low', low, lowResult), verify('bench-open', open, openResult), verify('bench-closed', closed, closedResult)] as const;
    };
    const settleBy = Date.now() + 30_000;
    let verified: ReturnType<typeof verifyAll> | undefined;
    while (!verified) {
      try {
        verified = verifyAll(await readLogAfter(app, head));
      } catch (error) {
        if (Date.now() > settleBy) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const [warmStored, lowStored, openStored, closedStored] = verified;
    const pendingAnswers = warmStored.pending + lowStored.pending + openStored.pending + closedStored.pending;
    const resends = low.requests.length - low.units.size + open.requests.length - open.units.size;
    const unanswered = warmStored.unanswered + lowStored.unanswered + openStored.unanswered + closedStored.unanswered;

    const bareLowLat = summarize(sentLatencies(bareLow));
    const lowLat = summarize(sentLatencies(lowResult));
    const bareLat = summarize(sentLatencies(bareOpen));
    const lat = summarize(sentLatencies(openResult));
    const closedLat = summarize(sentLatencies(closedResult));
    const bareRate = perSecond(answeredCount(bareClosed), bareClosed.elapsedMs);
    const appRate = perSecond(answeredCount(closedResult), closedResult.elapsedMs);
    const lowName = `open loop ${o.lowRatePerSecond}/s for ${o.lowSeconds} s`;
    const bareLowP99 = `webhooks: bare Fastify 200, ${lowName}, p99`;
    const openName = `open loop ${o.ratePerSecond}/s for ${o.openSeconds} s`;
    const bareP99 = `webhooks: bare Fastify 200, ${openName}, p99`;
    const bareClosedName = `webhooks: bare Fastify 200, closed loop ${o.closedConcurrency} senders`;
    return [
      { name: bareLowP99, value: round2(bareLowLat.p99), unit: 'ms' },
      { name: `webhooks: ack p50, ${lowName}`, value: round2(lowLat.p50), unit: 'ms' },
      comparedRow(`webhooks: ack p99, ${lowName}`, round2(lowLat.p99), 'ms', bareLowP99, bareLowLat.p99),
      { name: bareP99, value: round2(bareLat.p99), unit: 'ms' },
      { name: `webhooks: ack p50, ${openName}`, value: round2(lat.p50), unit: 'ms' },
      { name: `webhooks: ack p95, ${openName}`, value: round2(lat.p95), unit: 'ms' },
      comparedRow(`webhooks: ack p99, ${openName} (target < 50 ms)`, round2(lat.p99), 'ms', bareP99, bareLat.p99),
      { name: `webhooks: ack max, ${openName}`, value: round2(lat.max), unit: 'ms' },
      { name: `webhooks: achieved rate, ${openName}`, value: perSecond(answeredCount(openResult), openResult.elapsedMs), unit: 'webhooks/s' },
      { name: `webhooks: sales checked in the log, none lost or doubled (${resends} resends)`, value: warmStored.sales + lowStored.sales + openStored.sales + closedStored.sales, unit: 'sales' },
      { name: `webhooks: requests unanswered within ${TIMEOUT_MS / 1000} s`, value: unanswered, unit: 'requests' },
      { name: 'webhooks: answered 202 pending (kept, applied after the answer budget; checked in the log)', value: pendingAnswers, unit: 'requests' },
      { name: bareClosedName, value: bareRate, unit: 'requests/s' },
      comparedRow(`webhooks: closed loop ${o.closedConcurrency} senders, ${o.closedSeconds} s`, appRate, 'webhooks/s', bareClosedName, bareRate),
      { name: `webhooks: closed loop ${o.closedConcurrency} senders, ack p99`, value: round2(closedLat.p99), unit: 'ms' },
      ...cpuRows(o.closedConcurrency, bareCpu, answeredCount(bareClosed), appCpu, answeredCount(closedResult)),
    ];
  } finally {
    await app.close();
  }
}

/**
 * What holds the closed loop back, in CPU ms per request measured around both closed loops of
 * this run: the whole process (the load generator's thread included, which both loops share)
 * and its threads. On a machine whose cores the load generator and every role share, the
 * closed-loop ratio follows the ratio of whole-process CPU per request; an api instance with
 * cores of its own would be held back by its busiest thread, the api's, against the bare
 * server's thread (`main` in both runs). Nothing without `/proc` (the split needs it).
 */
function cpuRows(senders: number, bare: CpuSpent<unknown>, bareCount: number, app: CpuSpent<unknown>, appCount: number): BenchRow[] {
  if (bareCount === 0 || appCount === 0 || !('main' in bare.threads) || !('main' in app.threads)) return [];
  const per = (ms: number, count: number) => Math.round((ms / count) * 1000) / 1000;
  const loop = `closed loop ${senders} senders`;
  const bareProcess = `webhooks: CPU per request, bare Fastify, ${loop}, whole process`;
  const bareServer = `webhooks: CPU per request, bare Fastify, ${loop}, server thread`;
  const roles = Object.entries(app.threads).filter(([name]) => name !== 'main').sort(([a], [b]) => a.localeCompare(b));
  return [
    { name: bareProcess, value: per(bare.processMs, bareCount), unit: 'ms' },
    { name: bareServer, value: per(bare.threads.main ?? 0, bareCount), unit: 'ms' },
    comparedRow(`webhooks: CPU per webhook, ${loop}, whole process`, per(app.processMs, appCount), 'ms', bareProcess, per(bare.processMs, bareCount)),
    comparedRow(`webhooks: CPU per webhook, ${loop}, api thread`, per(app.threads.main ?? 0, appCount), 'ms', bareServer, per(bare.threads.main ?? 0, bareCount)),
    ...roles.map(([name, ms]): BenchRow => ({ name: `webhooks: CPU per webhook, ${loop}, thread ${name}`, value: per(ms, appCount), unit: 'ms' })),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchWebhookAck());
}
