/**
 * Test helpers for the outbound sender: an outbox filled through the real projection path
 * (`applyBatch` into a memory read store), and HTTP receivers on 127.0.0.1 that record what
 * they get and answer from a script.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryReadStore } from '../../projections/readstore/memory-read-store';
import { applyBatch } from '../../projections/runner/apply-batch';
import type { RecordedEvent } from '../../write-side/eventstore/port';
import { outboxProjection } from '../outbox-projection';

export interface Outbox {
  readonly readStore: MemoryReadStore;
  /** Projects the next events (their positions must follow the ones already applied). */
  add(events: readonly RecordedEvent[]): Promise<void>;
}

export function outbox(): Outbox {
  const readStore = new MemoryReadStore();
  let checkpoint = 0n;
  return {
    readStore,
    async add(events) {
      checkpoint = (await applyBatch(outboxProjection, readStore, checkpoint, events)).committed;
    },
  };
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly json: unknown;
}

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 (port 0) answering each request with `answer(request, index)`. */
export async function startReceiver(answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try { json = JSON.parse(raw); } catch { json = undefined; }
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, json };
      requests.push(request);
      const a = answer(request, requests.length - 1);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-03-01T12:00:00.000Z') {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    advance(ms: number) { now = new Date(now.getTime() + ms); },
  };
}
