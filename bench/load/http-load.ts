/**
 * An HTTP load generator for 127.0.0.1, run in a worker thread (`runLoad`) so that its own
 * event loop never waits behind the server under test, which lives on the main thread.
 *
 * - open loop: request i is due at start + i / rate, whatever happened to earlier ones, and its
 *   latency is measured from that due time, so queueing (in the agent or the server) counts;
 *   a slow server cannot slow the arrivals down and hide its own latency.
 * - closed loop: `concurrency` senders, each sending its next request when the previous one is
 *   answered, for `durationMs`: the maximum throughput.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { runInWorker } from './worker-client';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type LoadPlan =
  | { readonly mode: 'open'; readonly ratePerSecond: number }
  | { readonly mode: 'closed'; readonly concurrency: number; readonly durationMs: number };

export interface LoadSpec {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly requests: readonly LoadRequest[];
  readonly plan: LoadPlan;
  /** A request not answered within this is counted as failed (status 0). */
  readonly timeoutMs: number;
  readonly maxSockets?: number;
  /** Keep the answers' bodies (for verification). */
  readonly keepBodies?: boolean;
}

export interface LoadResult {
  /** Requests sent (closed loop: those started before the time was up). */
  readonly sent: number;
  /**
   * Per request index: ms from due time (open) or send time (closed) to the full answer, or to
   * the failure (so a timeout counts as at least the timeout, not as nothing); NaN if not sent.
   */
  readonly latencies: number[];
  /** Per request index: HTTP status, 0 for a network error or timeout, -1 for not sent. */
  readonly statuses: number[];
  readonly bodies: string[];
  /** From the first due time to the last answer. */
  readonly elapsedMs: number;
  /** `performance.now()` of the first due time on the generator's thread (open loop: request i is due at `startedAt + i / rate`). */
  readonly startedAt: number;
  /** The first few network errors, verbatim. */
  readonly errors: string[];
}

/** Runs the load in a worker thread. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runInWorker<LoadResult>({ task: 'http-load', spec });
}

/** Runs the load on the calling thread (the worker's entry point; tests). */
export async function runLoadHere(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.origin);
  if (url.hostname !== '127.0.0.1') throw new Error(`load generator only talks to 127.0.0.1, not ${url.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.maxSockets ?? 256 });
  const n = spec.requests.length;
  const latencies = new Array<number>(n).fill(Number.NaN);
  const statuses = new Array<number>(n).fill(-1);
  const bodies = new Array<string>(spec.keepBodies ? n : 0).fill('');
  const errors: string[] = [];
  let lastAnswer = 0;

  const send = (i: number, from: number): Promise<void> => new Promise((resolve) => {
    const r = spec.requests[i]!;
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const done = (status: number, body: string) => {
      const now = performance.now();
      statuses[i] = status;
      latencies[i] = now - from;
      if (spec.keepBodies) bodies[i] = body;
      lastAnswer = Math.max(lastAnswer, now);
      resolve();
    };
    const req = http.request({ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (e) => fail(e));
    });
    const fail = (e: Error) => {
      if (errors.length < 5) errors.push(`#${i}: ${e.message}`);
      done(0, '');
    };
    req.setTimeout(spec.timeoutMs, () => req.destroy(new Error(`no answer within ${spec.timeoutMs} ms`)));
    req.on('error', fail);
    req.end(r.body);
  });

  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  if (spec.plan.mode === 'open') {
    const interval = 1000 / spec.plan.ratePerSecond;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (sent < n && started + sent * interval <= now) {
          inFlight.push(send(sent, started + sent * interval));
          sent += 1;
        }
        if (sent < n) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
        else resolve();
      };
      tick();
    });
  } else {
    const { concurrency, durationMs } = spec.plan;
    const sender = async () => {
      while (sent < n && performance.now() - started < durationMs) {
        const i = sent;
        sent += 1;
        await send(i, performance.now());
      }
    };
    inFlight.push(...Array.from({ length: concurrency }, sender));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { sent, latencies, statuses, bodies, elapsedMs: Math.max(0, lastAnswer - started), errors, startedAt: started };
}
