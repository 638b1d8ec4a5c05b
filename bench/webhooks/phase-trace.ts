/**
 * Diagnostic aid (not a benchmark row): the quick webhook benchmark's phases against one app
 * (as `npm start` runs it), repeated `rounds` times, printing per phase its rate and latency,
 * the CPU each thread used, and how far the projector was behind the log when the phase began
 * and ended (and how long it then took to catch up). Shows what a cold first round pays that a
 * warm one does not.
 *   nice -n 10 npx tsx bench/webhooks/phase-trace.ts [rounds, default 3]
 */
import { performance } from 'node:perf_hooks';
import { projectorCaughtUp, projectorLag, startAppUnderTest, type AppUnderTest } from '../app-under-test';
import { runLoad, type LoadPlan } from '../load/http-load';
import { perSecond, round2, summarize } from '../stats';
import { saleWebhooks, TILL_LOCATIONS } from './sale-webhooks';
import { cpuByName, threadCpuMs } from './thread-cpu';

const rounds = Number(process.argv[2] ?? 3);
const SECRET = 'trace-secret';

/** Milliseconds until the projector is caught up (at most 30 s). */
async function caughtUpAfter(app: AppUnderTest): Promise<number> {
  const t = performance.now();
  await projectorCaughtUp(app, { pollMs: 5 });
  return round2(performance.now() - t);
}

const started = performance.now();
const app = await startAppUnderTest();
console.log(`app started in ${round2(performance.now() - started)} ms; main thread ${process.pid}; projector lag ${await projectorLag(app)} events; caught up after ${await caughtUpAfter(app)} ms`);
try {
  const phases: Array<{ name: string; count: number; plan: LoadPlan }> = [
    { name: 'warm-up closed 8', count: 200, plan: { mode: 'closed', concurrency: 8, durationMs: 60_000 } },
    { name: 'open 100/s 1 s', count: 100, plan: { mode: 'open', ratePerSecond: 100 } },
    { name: 'open 1000/s 1 s', count: 1000, plan: { mode: 'open', ratePerSecond: 1000 } },
    { name: 'closed 32 1 s', count: 15_000, plan: { mode: 'closed', concurrency: 32, durationMs: 1000 } },
  ];
  for (let round = 1; round <= rounds; round += 1) {
    for (const [i, phase] of phases.entries()) {
      const id = `trace-${round}-${i}`;
      await app.adminPost('/api/pos/connections', { id, kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
      const { requests } = saleWebhooks({ connectionId: id, secret: SECRET, count: phase.count, prefix: id, occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0 });
      const lagBefore = await projectorLag(app);
      const cpu0 = threadCpuMs();
      const r = await runLoad({ origin: app.origin, requests, plan: phase.plan, timeoutMs: 60_000 });
      const cpu1 = threadCpuMs();
      const lagAfter = await projectorLag(app);
      const catchUp = await caughtUpAfter(app);
      const lat = summarize(r.latencies.filter((l) => !Number.isNaN(l)));
      const ok = r.statuses.filter((s) => s === 200).length;
      const threads = Object.entries(cpuByName(cpu0, cpu1)).map(([n, ms]) => `${n} ${ms}`).join(', ');
      console.log(`round ${round} ${phase.name.padEnd(16)} ${String(perSecond(ok, r.elapsedMs)).padStart(6)}/s p50 ${round2(lat.p50)} p99 ${round2(lat.p99)} ms | lag ${lagBefore} -> ${lagAfter}, caught up ${catchUp} ms | cpu ms ${threads} (wall ${round2(r.elapsedMs)})`);
    }
  }
} finally {
  await app.close();
}
