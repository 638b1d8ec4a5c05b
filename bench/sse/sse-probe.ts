/**
 * The SSE latency probe (runs in the client worker): one SSE connection, then commands at a
 * steady pace; for each command, the time from its HTTP answer to the arrival of the first
 * `stock` frame of its location+SKU whose position is at least the answered position.
 * A frame that arrives before the answer counts as 0 ms (and is counted separately).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadRequest } from '../load/http-load';
import { runInWorker } from '../load/worker-client';
import { sseParser } from './sse-frames';

export interface SseProbeSpec {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly stream: { readonly path: string; readonly headers: Readonly<Record<string, string>> };
  /** Each answers 2xx `{"position"}`. */
  readonly commands: readonly LoadRequest[];
  /** Per command: `locationId|sku` of the stock frame it must cause. */
  readonly keys: readonly string[];
  readonly intervalMs: number;
  /** After the last answer, how long frames may still take before they count as missing. */
  readonly settleMs: number;
  readonly timeoutMs: number;
}

export interface SseProbeResult {
  /** Per command: ms from answer to frame; NaN when the command failed or no frame came. */
  readonly latencies: number[];
  /** Commands whose frame arrived before their answer. */
  readonly beforeAnswer: number;
  /** Commands without a 2xx answer, with the reason. */
  readonly failed: string[];
  /** Commands answered but never seen on the stream. */
  readonly missing: number;
  readonly frames: number;
}

export function runSseProbe(spec: SseProbeSpec): Promise<SseProbeResult> {
  return runInWorker<SseProbeResult>({ task: 'sse-probe', spec });
}

type Pending = { readonly i: number; readonly position: bigint; readonly answeredAt: number };

export async function runSseProbeHere(spec: SseProbeSpec): Promise<SseProbeResult> {
  const url = new URL(spec.origin);
  if (url.hostname !== '127.0.0.1') throw new Error(`SSE probe only talks to 127.0.0.1, not ${url.hostname}`);
  const n = spec.commands.length;
  const latencies = new Array<number>(n).fill(Number.NaN);
  const failed: string[] = [];
  const seen = new Map<string, bigint>();
  const pending = new Map<string, Pending[]>();
  let beforeAnswer = 0;
  let frames = 0;
  let wake: (() => void) | undefined;

  const onFrame = (event: string, data: string) => {
    if (event !== 'stock') return;
    const at = performance.now();
    frames += 1;
    const change = JSON.parse(data) as { locationId: string; sku: string; position: string };
    const key = `${change.locationId}|${change.sku}`;
    const position = BigInt(change.position);
    if (position > (seen.get(key) ?? -1n)) seen.set(key, position);
    const waiting = pending.get(key);
    if (!waiting) return;
    const still = waiting.filter((w) => {
      if (w.position > position) return true;
      latencies[w.i] = at - w.answeredAt;
      return false;
    });
    if (still.length > 0) pending.set(key, still);
    else pending.delete(key);
    if (pending.size === 0) wake?.();
  };

  // The stream first: commands start once the server has said it is connected.
  const streamAgent = new http.Agent({ keepAlive: false });
  const stream = await new Promise<http.ClientRequest>((resolve, reject) => {
    const req = http.get({ agent: streamAgent, host: url.hostname, port: url.port, path: spec.stream.path, headers: { accept: 'text/event-stream', ...spec.stream.headers } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET ${spec.stream.path} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      const push = sseParser((f) => onFrame(f.event, f.data));
      res.once('data', () => resolve(req));
      res.on('data', push);
    });
    req.on('error', reject);
    req.setTimeout(spec.timeoutMs, () => req.destroy(new Error('SSE stream did not open')));
  });
  stream.setTimeout(0);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const command = (i: number): Promise<void> => new Promise((resolve) => {
    const r = spec.commands[i]!;
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request({ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const answeredAt = performance.now();
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          failed.push(`#${i}: ${status} ${text.slice(0, 200)}`);
          return resolve();
        }
        const position = BigInt((JSON.parse(text) as { position: string }).position);
        const key = spec.keys[i]!;
        if ((seen.get(key) ?? -1n) >= position) {
          latencies[i] = 0;
          beforeAnswer += 1;
        } else {
          pending.set(key, [...(pending.get(key) ?? []), { i, position, answeredAt }]);
        }
        resolve();
      });
    });
    req.setTimeout(spec.timeoutMs, () => req.destroy(new Error('no answer')));
    req.on('error', (e) => {
      failed.push(`#${i}: ${e.message}`);
      resolve();
    });
    req.end(r.body);
  });

  const started = performance.now();
  const answers: Promise<void>[] = [];
  for (let i = 0; i < n; i += 1) {
    const due = started + i * spec.intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    answers.push(command(i));
  }
  await Promise.all(answers);
  if (pending.size > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, spec.settleMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const missing = [...pending.values()].reduce((sum, list) => sum + list.length, 0);
  stream.destroy();
  streamAgent.destroy();
  agent.destroy();
  return { latencies, beforeAnswer, failed, missing, frames };
}
