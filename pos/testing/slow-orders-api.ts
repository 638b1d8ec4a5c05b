/**
 * A Square Orders API on 127.0.0.1 (port 0) that can hang: while `hanging`, requests get no
 * answer at all (the socket stays open), as an overloaded upstream does; `delayMs` answers late.
 * Requests left hanging are destroyed on close.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface SlowOrdersApi {
  readonly baseUrl: string;
  readonly orders: Map<string, unknown>;
  /** While true, order requests are never answered. */
  hanging: boolean;
  /** Answers order requests after this many ms (0: at once). */
  delayMs: number;
  /** The first this-many requests for each order get no answer (an upstream that is slow, then recovers). */
  hangFirst: number;
  /** Order requests received (answered or not). */
  calls: number;
  close(): Promise<void>;
}

export async function startSlowOrdersApi(token: string): Promise<SlowOrdersApi> {
  const sockets = new Set<Socket>();
  const api = { orders: new Map<string, unknown>(), hanging: false, delayMs: 0, hangFirst: 0, calls: 0 };
  const callsPerOrder = new Map<string, number>();
  const send = (res: ServerResponse, status: number, payload: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  const server = createServer((req, res) => {
    req.resume();
    const match = /^\/v2\/orders\/([^/?]+)$/.exec(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] });
    if (req.method !== 'GET' || !match) return send(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    api.calls++;
    const orderId = decodeURIComponent(match[1]!);
    const seen = (callsPerOrder.get(orderId) ?? 0) + 1;
    callsPerOrder.set(orderId, seen);
    if (api.hanging || seen <= api.hangFirst) return; // no answer, ever
    const answer = () => {
      const order = api.orders.get(orderId);
      if (order) send(res, 200, order); else send(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    };
    if (api.delayMs > 0) setTimeout(answer, api.delayMs); else answer();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  });
}
