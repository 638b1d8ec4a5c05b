/**
 * Diagnostic aid (not a benchmark row): CPU ms per webhook per thread, warm, over blocks large
 * enough for the 10-ms ticks of `/proc` to matter little. One app as `npm start` runs it; a
 * 3,000-request warm-up; then `blocks` closed-loop blocks (32 senders) of 2,000 webhooks each,
 * with the projector caught up before each (the load generator's thread counted as
 * `bench-client`). CPU time does not count the time a thread waited for a core, so two trees
 * measured in turn on a shared machine compare better than by their rates.
 *   nice -n 10 npx tsx bench/webhooks/cpu-per-webhook.ts [blocks, default 4]
 */
import { projectorCaughtUp, startAppUnderTest, type AppUnderTest } from '../app-under-test';
import { runLoad } from '../load/http-load';
import { perSecond, round2 } from '../stats';
import { saleWebhooks, TILL_LOCATIONS } from './sale-webhooks';
import { appCpuMs, cpuSpent } from './thread-cpu';

const blocks = Number(process.argv[2] ?? 4);
const SECRET = 'cpu-secret';
const PER_BLOCK = 2000;

async function block(app: AppUnderTest, id: string, count: number) {
  await app.adminPost('/api/pos/connections', { id, kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
  const { requests } = saleWebhooks({ connectionId: id, secret: SECRET, count, prefix: id, occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0 });
  await projectorCaughtUp(app, { pollMs: 5 });
  const { result: r, threads: cpu, processMs } = await cpuSpent(async () => {
    const load = await runLoad({ origin: app.origin, requests, plan: { mode: 'closed', concurrency: 32, durationMs: 120_000 }, timeoutMs: 60_000 });
    await projectorCaughtUp(app, { pollMs: 5 }); // the projector's share of this block
    return load;
  });
  // What the threads /proc lists do not explain (a thread that ended meanwhile; the ticks' rounding):
  // the process's own total (getrusage) still counts it.
  const listed = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
  if (processMs - listed > 0) cpu.unlisted = processMs - listed;
  const ok = r.statuses.filter((s) => s === 200).length;
  return { ok, rate: perSecond(ok, r.elapsedMs), cpu };
}

const app = await startAppUnderTest();
try {
  await block(app, 'cpu-warm', 3000);
  const totals: Record<string, number> = {};
  let webhooks = 0;
  for (let b = 1; b <= blocks; b += 1) {
    const { ok, rate, cpu } = await block(app, `cpu-${b}`, PER_BLOCK);
    webhooks += ok;
    for (const [name, ms] of Object.entries(cpu)) totals[name] = (totals[name] ?? 0) + ms;
    const app_ = appCpuMs(cpu);
    console.log(`block ${b}: ${rate}/s, ms per webhook: app ${round2(app_ / ok)} | ${Object.entries(cpu).map(([n, ms]) => `${n} ${round2(ms / ok)}`).join(', ')}`);
  }
  const appTotal = appCpuMs(totals);
  console.log(`all ${webhooks}: ms per webhook: app ${round2(appTotal / webhooks)} | ${Object.entries(totals).map(([n, ms]) => `${n} ${round2(ms / webhooks)}`).join(', ')}`);
} finally {
  await app.close();
}
