import { afterEach, describe, expect, it } from 'vitest';
import { runSseProbe, runSseProbeHere } from '../sse/sse-probe';
import { startBareAckServer, startBareSseServer, type BareServer } from './bare-servers';
import { runLoad, runLoadHere, type LoadRequest } from './http-load';

let server: BareServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const hooks = (n: number): LoadRequest[] =>
  Array.from({ length: n }, (_, i) => ({ method: 'POST', path: '/hook', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) }));

describe('http load generator', () => {
  it('given an open loop, then every request is sent and answered, with its latency and body', async () => {
    server = await startBareAckServer();
    const r = await runLoadHere({ origin: server.origin, requests: hooks(40), plan: { mode: 'open', ratePerSecond: 400 }, timeoutMs: 5000, keepBodies: true });
    expect(r.sent).toBe(40);
    expect(r.statuses).toEqual(new Array(40).fill(200));
    expect(r.bodies.every((b) => b === '{"position":"0"}')).toBe(true);
    expect(r.latencies.every((l) => l >= 0)).toBe(true);
  });

  it('given a closed loop that runs out of time, then unsent requests are marked -1 and not timed', async () => {
    server = await startBareAckServer();
    const r = await runLoad({ origin: server.origin, requests: hooks(20_000), plan: { mode: 'closed', concurrency: 4, durationMs: 200 }, timeoutMs: 5000 });
    expect(r.sent).toBeGreaterThan(0);
    expect(r.sent).toBeLessThan(20_000);
    expect(r.statuses.slice(0, r.sent).every((s) => s === 200)).toBe(true);
    expect(r.statuses.slice(r.sent).every((s) => s === -1)).toBe(true);
    expect(Number.isNaN(r.latencies[r.sent])).toBe(true);
  });

  it('given a refused connection, then the request fails with status 0 instead of hanging', async () => {
    server = await startBareAckServer();
    const origin = server.origin;
    await server.close();
    server = undefined;
    const r = await runLoadHere({ origin, requests: hooks(2), plan: { mode: 'open', ratePerSecond: 100 }, timeoutMs: 2000 });
    expect(r.statuses).toEqual([0, 0]);
    expect(r.errors.length).toBe(2);
  });

  it('refuses any host but 127.0.0.1', async () => {
    await expect(runLoadHere({ origin: 'http://example.com', requests: [], plan: { mode: 'open', ratePerSecond: 1 }, timeoutMs: 10 })).rejects.toThrow(/127\.0\.0\.1/);
  });
});

describe('SSE probe', () => {
  const triggers = (n: number) => Array.from({ length: n }, (_, i): LoadRequest => ({
    method: 'POST', path: '/trigger', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locationId: `L${i % 3}`, sku: 'S' }),
  }));
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `L${i % 3}|S`);

  it('given triggers answered and then streamed, then every command gets a latency and none is missing', async () => {
    server = await startBareSseServer();
    const spec = { origin: server.origin, stream: { path: '/stream', headers: {} }, commands: triggers(20), keys: keys(20), intervalMs: 2, settleMs: 2000, timeoutMs: 5000 };
    for (const probe of [runSseProbeHere, runSseProbe]) {
      const r = await probe(spec);
      expect(r.failed).toEqual([]);
      expect(r.missing).toBe(0);
      expect(r.frames).toBe(20);
      expect(r.latencies.every((l) => l >= 0)).toBe(true);
    }
  });

  it('given frames that never name the command\'s key, then the commands are counted missing after settling', async () => {
    server = await startBareSseServer();
    const r = await runSseProbeHere({ origin: server.origin, stream: { path: '/stream', headers: {} }, commands: triggers(3), keys: ['elsewhere|S', 'L1|S', 'L2|S'], intervalMs: 1, settleMs: 300, timeoutMs: 5000 });
    expect(r.missing).toBe(1);
    expect(Number.isNaN(r.latencies[0])).toBe(true);
  });
});
