/**
 * GET /api/stream: Server-Sent Events of read-model changes (`stock`, `alert`, `transfer`),
 * `id:` = the position. Filtered by `?locationId=` and by the caller's locations.
 *
 * Resuming (`Last-Event-ID` header or `?lastEventId=`): live changes are buffered from the
 * moment of connection, then the documents changed at or after that position are replayed
 * from the read store, then the buffer is flushed, skipping any change the replay already
 * covered (same document, position not newer). The replay is inclusive of the given
 * position because one position can carry several changes and the connection may have
 * dropped between them; each event is a full snapshot, so a repeat is harmless, a gap not.
 *
 * Written to the raw socket (hijacked reply) rather than through @fastify/sse, which would
 * need a plugin registration in the app and hides the write buffer we bound: a client that
 * does not keep up is disconnected (it resumes with Last-Event-ID) instead of being buffered
 * without limit.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ServerResponse } from 'node:http';
import { EMPTY, map, merge, type Observable } from 'rxjs';
import { changeTurns } from './change-turns';
import { COLLECTIONS, type AlertDoc, type StockDoc, type TransferDoc } from '../projections/models/collections';
import { padPosition } from '../projections/models/keys';
import { inScope, type LocationScope } from '../projections/models/scope';
import type { ReadStore } from '../projections/readstore/port';
import type { ReadModelChange } from '../projections/runner/projection';
import { StreamQuery } from '../schemas/read-api';
import { assertLocationAccess, principalOf, READERS, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import type { PollChange } from '../polls/poll-changes';
import { RESULT_READERS } from '../polls/poll-routes';

/** Everything the stream sends: read-model changes and live poll results. */
type StreamChange = ReadModelChange | PollChange;
/** Who gets `event: poll`: the roles that read poll results. */
const POLL_WATCHERS = new Set<string>(RESULT_READERS);

export interface StreamDeps {
  changes$: Observable<ReadModelChange>;
  /** Live poll results (`event: poll`), merged into the stream for managers (polls/poll-changes.ts). */
  pollChanges$?: Observable<PollChange>;
  readStore: ReadStore;
  /** Comment lines that keep proxies from closing an idle stream; default 15 s. */
  heartbeatMs?: number;
  /** A client whose unsent data exceeds this is dropped; default 1 MiB. */
  maxBufferedBytes?: number;
  /** For `?minPosition=`: resolves true once the read models include the position. */
  waitForPosition?: (position: bigint, timeoutMs: number) => Promise<boolean>;
}

const POSITION = /^(0|[1-9][0-9]{0,39})$/;

/** Which document a change describes: a later change of the same key supersedes it. */
const keyOf = (c: StreamChange): string => {
  switch (c.kind) {
    case 'stock': return `stock|${c.locationId}|${c.sku}`;
    case 'alert': return `alert|${c.alertId}`;
    case 'transfer': return `transfer|${c.transferId}`;
    case 'poll': return `poll|${c.pollId}`;
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
};

function visibleIn(scope: LocationScope, locationId: string | undefined, c: StreamChange): boolean {
  if (c.kind === 'poll') return scope === 'all' ? locationId === undefined || c.locations.includes(locationId) : c.locations.some((l) => inScope(scope, l));
  const ends = c.kind === 'transfer' ? [c.fromLocationId, c.toLocationId] : [c.locationId];
  return ends.some((l) => inScope(scope, l) && (locationId === undefined || l === locationId));
}

/** The current documents changed at or after `from`, as changes in position order. */
export async function replayChanges(store: ReadStore, from: bigint): Promise<ReadModelChange[]> {
  const since = { where: { positionKey: { gte: padPosition(from) } }, orderBy: [['positionKey', 'asc']] as const };
  const [stock, alerts, transfers] = await Promise.all([
    store.find<StockDoc>(COLLECTIONS.stock, since),
    store.find<AlertDoc>(COLLECTIONS.alerts, since),
    store.find<TransferDoc>(COLLECTIONS.transfers, since),
  ]);
  const changes: ReadModelChange[] = [
    ...stock.map((d): ReadModelChange => ({
      kind: 'stock', locationId: d.locationId, sku: d.sku, onHand: d.onHand, inTransitIn: d.inTransitIn, inTransitOut: d.inTransitOut,
      ...(d.reorderPoint !== undefined ? { reorderPoint: d.reorderPoint } : {}), position: d.position,
    })),
    ...alerts.map((d): ReadModelChange => ({
      kind: 'alert', alertId: d._id, alertType: d.alertType, status: d.status, locationId: d.locationId,
      ...(d.sku ? { sku: d.sku } : {}), message: d.message, ...(d.details ? { details: d.details } : {}), position: d.position,
    })),
    ...transfers.map((d): ReadModelChange => ({
      kind: 'transfer', transferId: d.transferId, status: d.status, fromLocationId: d.fromLocationId, toLocationId: d.toLocationId, position: d.position,
    })),
  ];
  return changes.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : BigInt(a.position) > BigInt(b.position) ? 1 : 0));
}

/** Frames already formatted, per change: a change goes to every client, it is serialized once. */
const formatted = new WeakMap<StreamChange, string>();

export function formatEvent(c: StreamChange): string {
  let frame = formatted.get(c);
  if (frame === undefined) {
    const { kind, ...data } = c;
    frame = `id: ${c.position}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    formatted.set(c, frame);
  }
  return frame;
}

/** Per turn, the frames of each view (scope and location filter), joined once: clients of one view share the text. */
const framesByView = new WeakMap<readonly StreamChange[], Map<string, string>>();

function framesOf(turn: readonly StreamChange[], view: string, visible: (c: StreamChange) => boolean): string {
  let texts = framesByView.get(turn);
  if (!texts) framesByView.set(turn, (texts = new Map()));
  let text = texts.get(view);
  if (text === undefined) {
    text = '';
    for (const c of turn) if (visible(c)) text += formatEvent(c);
    texts.set(view, text);
  }
  return text;
}

export async function streamRoutes(app: FastifyInstance, deps: StreamDeps): Promise<void> {
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const maxBuffered = deps.maxBufferedBytes ?? 1024 * 1024;
  const open = new Set<ServerResponse>();
  const turns$ = changeTurns(deps.changes$);
  // Long-lived responses would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.destroy();
  });

  app.get('/api/stream', {
    config: { access: { roles: READERS } },
    schema: {
      summary: 'Server-Sent Events: stock, alert and transfer changes as they happen',
      description: '`event: stock` data `{locationId, sku, onHand, inTransitIn, inTransitOut, position}`, `event: alert`, `event: transfer`; `id:` is the position. Resume with `Last-Event-ID` (or `?lastEventId=`): documents changed at or after that position are replayed first. Heartbeat comments every 15 s.',
      tags: ['stream'], querystring: StreamQuery,
      response: { 200: { description: 'text/event-stream', type: 'string' } },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof StreamQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const header = request.headers['last-event-id'];
    const lastId = typeof header === 'string' && header !== '' ? header : q.lastEventId;
    if (lastId !== undefined && !POSITION.test(lastId)) throw new HttpProblem(400, 'Last-Event-ID is not a position');
    const scope = visibleLocations(request);
    // Like every read: start only once the read models include the client's own write.
    if (q.minPosition !== undefined && deps.waitForPosition && !(await deps.waitForPosition(BigInt(q.minPosition), 5000))) {
      throw new HttpProblem(504, `read models have not reached position ${q.minPosition} within 5 s`);
    }

    reply.hijack();
    const raw = reply.raw;
    open.add(raw);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      // The response is hijacked, so helmet's onSend headers never run: set the one that matters here.
      'x-content-type-options': 'nosniff',
    });
    let closed = false;
    let corked = false;
    const write = (text: string): void => {
      if (closed) return;
      // The changes of one projector batch arrive in one turn: one socket write for all of them.
      if (!corked) {
        corked = true;
        raw.cork();
        process.nextTick(() => {
          corked = false;
          raw.uncork();
        });
      }
      raw.write(text);
      if (raw.writableLength > maxBuffered) {
        request.log.warn({ buffered: raw.writableLength }, 'SSE client too slow; disconnected');
        close();
      }
    };
    let replaying = true;
    const buffered: StreamChange[] = [];
    const polls$ = deps.pollChanges$ && POLL_WATCHERS.has(principalOf(request).role) ? deps.pollChanges$ : EMPTY;
    const visible = (c: StreamChange) => visibleIn(scope, q.locationId, c);
    // Unambiguous whatever the ids hold: two views share a text only if they see the same.
    const view = JSON.stringify([scope, q.locationId ?? null]);
    const subscription = merge(turns$, polls$.pipe(map((c): StreamChange[] => [c]))).subscribe({
      next: (turn) => {
        if (replaying) {
          for (const c of turn) if (visible(c)) buffered.push(c);
          return;
        }
        const text = framesOf(turn, view, visible);
        if (text !== '') write(text);
      },
      error: () => close(),
      complete: () => close(),
    });
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
    function close(): void {
      if (closed) return;
      closed = true;
      subscription.unsubscribe();
      clearInterval(heartbeat);
      open.delete(raw);
      raw.destroy();
    }
    request.raw.on('close', close);
    raw.on('close', close);
    raw.on('error', close);

    write(': connected\n\n');
    try {
      const covered = new Map<string, bigint>();
      if (lastId !== undefined) {
        for (const c of await replayChanges(deps.readStore, BigInt(lastId))) {
          if (!visibleIn(scope, q.locationId, c)) continue;
          covered.set(keyOf(c), BigInt(c.position));
          write(formatEvent(c));
        }
      }
      replaying = false;
      for (const c of buffered.splice(0)) {
        const seen = covered.get(keyOf(c));
        if (seen === undefined || BigInt(c.position) > seen) write(formatEvent(c));
      }
    } catch (error) {
      request.log.error({ err: error }, 'SSE replay failed');
      close();
    }
  });
}
