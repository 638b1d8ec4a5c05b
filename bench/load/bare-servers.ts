/**
 * Baselines: the least a Fastify server on 127.0.0.1 can do for the same requests, in the same
 * process as the benchmark. Their figures are the ceiling of the HTTP layer on this machine.
 */
import Fastify from 'fastify';
import type { ServerResponse } from 'node:http';

export interface BareServer {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  close(): Promise<void>;
}

/** `POST /hook` answers 200 `{"position":"0"}` at once: what acknowledging costs without any work. */
export async function startBareAckServer(): Promise<BareServer> {
  const app = Fastify({ logger: false });
  app.post('/hook', async () => ({ position: '0' }));
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return { origin, close: () => app.close() };
}

/**
 * `GET /stream` is an SSE stream; `POST /trigger {locationId, sku}` answers `{"position"}` and
 * writes the matching `stock` frame to every stream right after: a change with no work between
 * the answer and the frame. The frames of one event-loop turn go out in one socket write per
 * stream (corked until the turn's I/O is done), as the app's stream route writes one projector
 * batch: writing each frame to 100 clients on its own saturated this baseline at 1,000/s and made
 * it slower than the app it is the floor of.
 */
export async function startBareSseServer(): Promise<BareServer> {
  const app = Fastify({ logger: false });
  const streams = new Set<ServerResponse>();
  let position = 0;
  /** Streams corked in this turn (uncorked once its I/O phase is over). */
  let corked: ServerResponse[] | undefined;
  app.addHook('preClose', async () => {
    for (const s of streams) s.destroy();
  });
  app.get('/stream', (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    reply.raw.write(': connected\n\n');
    streams.add(reply.raw);
    request.raw.on('close', () => streams.delete(reply.raw));
  });
  app.post<{ Body: { locationId: string; sku: string } }>('/trigger', (request, reply) => {
    position += 1;
    const { locationId, sku } = request.body;
    reply.code(201).send({ position: String(position) });
    const frame = `id: ${position}\nevent: stock\ndata: ${JSON.stringify({ locationId, sku, onHand: 0, position: String(position) })}\n\n`;
    if (!corked) {
      corked = [...streams];
      for (const s of corked) s.cork();
      setImmediate(() => {
        const open = corked!;
        corked = undefined;
        for (const s of open) s.uncork();
      });
    }
    for (const s of streams) s.write(frame);
  });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return { origin, close: () => app.close() };
}
