/**
 * Profiling aid for the webhook ack path (not a benchmark row): the app as `npm start` runs it
 * (bench/app-under-test.ts), a warm-up, then `PROFILE_SECONDS` (default 4) of the bench's closed
 * loop (32 senders, signed generic sales from a worker thread) with the V8 profiler on the api
 * thread only during the load. Writes `PROFILE_OUT` (default /tmp/stocktide-ack.cpuprofile) and
 * prints the summary (cpu-profile-summary.ts) and the rate, beside the same closed loop against a
 * bare Fastify route in the same run (the ratio). Every answer must be 200.
 *   nice -n 10 npx tsx bench/webhooks/profile-ack.ts
 * `PROFILE_APPEND=inline,worker` profiles the app once per way of committing appends (inline on
 * the api thread, or in the event store's appender worker: the default of `npm start`), in this
 * order and in the same run, so their ratios can be compared; the profile file gets a suffix.
 * (`node --cpu-prof --import tsx bench/webhooks/webhook-ack.bench.ts` profiles every thread of
 * a whole bench run instead, baseline server and setup included.)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startAppUnderTest } from '../app-under-test';
import { startBareAckServer } from '../load/bare-servers';
import { runLoad } from '../load/http-load';
import { perSecond } from '../stats';
import { printProfile } from './cpu-profile-summary';
import { saleWebhooks, TILL_LOCATIONS } from './sale-webhooks';

const seconds = Number(process.env.PROFILE_SECONDS ?? 4);
const out = process.env.PROFILE_OUT ?? '/tmp/stocktide-ack.cpuprofile';
const SECRET = 'profile-secret';

// The baseline of the same run: the same closed loop against a bare Fastify route answering 200.
const bareRate = await (async () => {
  const bare = await startBareAckServer();
  try {
    const requests = saleWebhooks({ connectionId: 'bare', secret: SECRET, count: 20_000 * seconds, prefix: 'bare', occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0 })
      .requests.map((r) => ({ ...r, path: '/hook' }));
    await runLoad({ origin: bare.origin, requests: requests.slice(0, 500), plan: { mode: 'closed', concurrency: 8, durationMs: 60_000 }, timeoutMs: 60_000 });
    const r = await runLoad({ origin: bare.origin, requests, plan: { mode: 'closed', concurrency: 32, durationMs: seconds * 1000 }, timeoutMs: 60_000 });
    return perSecond(r.statuses.filter((s) => s > 0).length, r.elapsedMs);
  } finally {
    await bare.close();
  }
})();

const variants = (process.env.PROFILE_APPEND ?? '').split(',').map((v) => v.trim()).filter(Boolean);
for (const variant of variants.length > 0 ? variants : [undefined]) {
  if (variant !== undefined && variant !== 'inline' && variant !== 'worker') throw new Error(`PROFILE_APPEND: inline or worker, not ${variant}`);
  const appendInWorker = variant === undefined ? undefined : variant === 'worker';
  const app = await startAppUnderTest(appendInWorker === undefined ? {} : { appendInWorker });
  try {
    for (const id of ['profile-warm', 'profile-load']) {
      await app.adminPost('/api/pos/connections', { id, kind: 'generic', secret: SECRET, locationMap: TILL_LOCATIONS });
    }
    const batch = (connectionId: string, count: number) => saleWebhooks({
      connectionId, secret: SECRET, count, prefix: connectionId, occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0,
    });
    const check = (label: string, statuses: number[]) => {
      const bad = statuses.filter((s) => s !== -1 && s !== 200).length;
      if (bad > 0) throw new Error(`${label}: ${bad} answers were not 200`);
    };
    const warm = await runLoad({ origin: app.origin, requests: batch('profile-warm', 500).requests, plan: { mode: 'closed', concurrency: 8, durationMs: 60_000 }, timeoutMs: 60_000 });
    check('warm-up', warm.statuses);

    const loadRequests = batch('profile-load', 20_000 * seconds).requests; // signed before the profiler starts
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const load = await runLoad({
      origin: app.origin, requests: loadRequests,
      plan: { mode: 'closed', concurrency: 32, durationMs: seconds * 1000 }, timeoutMs: 60_000,
    });
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    check('load', load.statuses);
    const file = variant ? out.replace(/(\.cpuprofile)?$/, `-${variant}$1`) : out;
    writeFileSync(file, JSON.stringify(profile));
    const answered = load.statuses.filter((s) => s > 0).length;
    const rate = perSecond(answered, load.elapsedMs);
    console.log(`${variant ?? 'app'}: closed loop, 32 senders, ${seconds} s: ${answered} webhooks, ${rate}/s; bare Fastify ${bareRate}/s; ratio ${(rate / bareRate).toFixed(2)}; profile in ${file}\n`);
    printProfile(profile as unknown as Parameters<typeof printProfile>[0], 30);
  } finally {
    await app.close();
  }
}
