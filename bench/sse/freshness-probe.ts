/**
 * The freshness probe (runs in the client worker): `clients` SSE connections held open, then
 * webhooks sent in an open loop; for each webhook answered with a position, the time from its
 * due (send) time to the arrival, on each measured client, of the first `stock` frame of its
 * location+SKU at or after that position. Every client reads every byte (the server writes each
 * frame to all of them); only the first `measured` parse frames, so parsing in this one thread
 * does not become what is measured.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { runLoadHere, type LoadRequest, type LoadResult } from '../load/http-load';
import { runInWorker } from '../load/worker-client';
import { sseParser } from './sse-frames';

export interface FreshnessProbeSpec {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly stream: { readonly path: string; readonly headers: Readonly<Record<string, string>> };
  readonly clients: number;
  readonly measured: number;
  /** Each answers 2xx `{"position"}` (or 202 `{"pending"}`: not matched, counted). */
  readonly webhooks: readonly LoadRequest[];
  /** Per webhook: `locationId|sku` of a stock frame it must cause. */
  readonly keys: readonly string[];
  readonly ratePerSecond: number;
  /** After the last answer, how long frames may still take before they count as missing. */
  readonly settleMs: number;
  readonly timeoutMs: number;
  /**
   * Sent first, at the same rate, with every stream open, and not measured: the measured webhooks
   * start once the measured clients have the frames of all of these (the fan-out's code warm, as
   * the webhook path's is after the closed-loop warm-up; a server's first second with 100 new
   * streams is not its steady state).
   */
  readonly streamedWarmup?: { readonly webhooks: readonly LoadRequest[]; readonly keys: readonly string[] };
}

export interface FreshnessProbeResult {
  /** Per (webhook, measured client): ms from due time to the frame; NaN when no frame came. */
  readonly latencies: number[];
  /** Webhooks not answered 2xx with a position (failed, or 202 pending). */
  readonly unmatched: number;
  readonly failed: string[];
  /** (webhook, measured client) pairs answered with a position but never seen on that client. */
  readonly missing: number;
  /** Frames received by the measured clients. */
  readonly frames: number;
  /** Bytes received by all clients. */
  readonly bytes: number;
  /** Clients that lost their stream before the end (the server drops one that falls too far behind). */
  readonly dropped: number;
}

export function runFreshnessProbe(spec: FreshnessProbeSpec): Promise<FreshnessProbeResult> {
  return runInWorker<FreshnessProbeResult>({ task: 'freshness-probe', spec });
}

/** Per key, the (position, arrival) of each frame, in arrival order (positions grow per key). */
type Arrivals = Map<string, { positions: bigint[]; times: number[] }>;

export async function runFreshnessProbeHere(spec: FreshnessProbeSpec): Promise<FreshnessProbeResult> {
  const url = new URL(spec.origin);
  if (url.hostname !== '127.0.0.1') throw new Error(`freshness probe only talks to 127.0.0.1, not ${url.hostname}`);
  const agent = new http.Agent({ keepAlive: false, maxSockets: spec.clients + 1 });
  const arrivals: Arrivals[] = Array.from({ length: spec.measured }, () => new Map());
  const streams: http.ClientRequest[] = [];
  let frames = 0;
  let bytes = 0;
  let dropped = 0;
  let ending = false;

  const open = (c: number) => new Promise<void>((resolve, reject) => {
    const req = http.get({ agent, host: url.hostname, port: url.port, path: spec.stream.path, headers: { accept: 'text/event-stream', ...spec.stream.headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${spec.stream.path} answered ${res.statusCode}`));
        return;
      }
      const own = arrivals[c];
      if (own) res.setEncoding('utf8'); // the others only count bytes: no decoding
      const push = own && sseParser((f) => {
        if (f.event !== 'stock') return;
        const at = performance.now();
        frames += 1;
        const change = JSON.parse(f.data) as { locationId: string; sku: string; position: string };
        const key = `${change.locationId}|${change.sku}`;
        const seen = own.get(key) ?? { positions: [], times: [] };
        seen.positions.push(BigInt(change.position));
        seen.times.push(at);
        own.set(key, seen);
      });
      res.once('data', () => resolve());
      res.on('data', (chunk: string | Buffer) => {
        bytes += chunk.length;
        if (typeof chunk === 'string') push?.(chunk);
      });
      res.on('close', () => {
        if (!ending) dropped += 1;
      });
    });
    req.on('error', (e) => (ending ? undefined : reject(e)));
    req.setTimeout(spec.timeoutMs, () => req.destroy(new Error('SSE stream did not open')));
    streams.push(req);
  });
  // The streams first (a few at a time): webhooks start once every client is connected.
  for (let c = 0; c < spec.clients; c += 10) {
    await Promise.all(Array.from({ length: Math.min(10, spec.clients - c) }, (_, k) => open(c + k)));
  }
  for (const s of streams) s.setTimeout(0);

  const send = (webhooks: readonly LoadRequest[]) =>
    runLoadHere({ origin: spec.origin, requests: webhooks, plan: { mode: 'open', ratePerSecond: spec.ratePerSecond }, timeoutMs: spec.timeoutMs, keepBodies: true });
  /** The webhooks answered with a position (the frames to wait for), and the first few failures. */
  const answered = (load: LoadResult) => {
    const wanted: { i: number; position: bigint }[] = [];
    const failed: string[] = [];
    load.statuses.forEach((status, i) => {
      const body = load.bodies[i] ?? '';
      if (status < 200 || status > 299) {
        if (failed.length < 5) failed.push(`#${i}: ${status} ${body.slice(0, 200)}`);
        return;
      }
      const position = (JSON.parse(body) as { position?: string }).position;
      if (position !== undefined) wanted.push({ i, position: BigInt(position) });
    });
    return { wanted, failed };
  };

  const frameAt = (own: Arrivals, key: string, position: bigint): number | undefined => {
    const seen = own.get(key);
    if (!seen) return undefined;
    let lo = 0;
    let hi = seen.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seen.positions[mid]! < position) lo = mid + 1;
      else hi = mid;
    }
    return lo < seen.positions.length ? seen.times[lo] : undefined;
  };
  const allSeen = (wanted: readonly { i: number; position: bigint }[], keys: readonly string[]) =>
    wanted.every(({ i, position }) => arrivals.every((own) => frameAt(own, keys[i]!, position) !== undefined));
  /** Waits (at most `settleMs`) until the measured clients have every frame of `wanted`; says whether they have. */
  const settled = async (wanted: readonly { i: number; position: bigint }[], keys: readonly string[]) => {
    for (const until = performance.now() + spec.settleMs; !allSeen(wanted, keys);) {
      if (performance.now() >= until) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  };

  if (spec.streamedWarmup) {
    // Frames of the warm-up stay in `arrivals`: a measured webhook's frame is the first at or
    // after its own position, later than all of theirs.
    const warm = answered(await send(spec.streamedWarmup.webhooks));
    if (warm.failed.length > 0) throw new Error(`streamed warm-up: webhooks failed: ${warm.failed.join('; ')}`);
    // A frame of the warm-up still missing would be a backlog the measured webhooks start behind.
    if (!(await settled(warm.wanted, spec.streamedWarmup.keys))) throw new Error(`streamed warm-up: frames still missing after ${spec.settleMs} ms`);
    frames = 0;
    bytes = 0;
  }
  const load = await send(spec.webhooks);
  const interval = 1000 / spec.ratePerSecond;
  const { wanted, failed } = answered(load);
  await settled(wanted, spec.keys);
  ending = true;
  for (const s of streams) s.destroy();
  agent.destroy();

  const latencies: number[] = [];
  let missing = 0;
  for (const { i, position } of wanted) {
    const due = load.startedAt + i * interval;
    for (const own of arrivals) {
      const at = frameAt(own, spec.keys[i]!, position);
      if (at === undefined) missing += 1;
      latencies.push(at === undefined ? Number.NaN : at - due);
    }
  }
  return { latencies, unmatched: spec.webhooks.length - wanted.length, failed, missing, frames, bytes, dropped };
}
