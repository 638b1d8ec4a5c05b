/**
 * `GET /api/catalog/stream`: Server-Sent Events of catalog changes, so an open dashboard sees a
 * rename in the POS (or an import) as it lands. `event: product` carries the product document
 * once the read models include it (a client re-reading with `minPosition=id` sees the same);
 * `event: catalog-alert` a raised or resolved conflict. One shared subscription to the log
 * serves every client (RxJS `share`), live from the head at the first client's connection.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { concatMap, defer, filter, from, share, switchMap, type Observable } from 'rxjs';
import { COLLECTIONS, type ProductDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import type { EventStore, RecordedEvent } from '../write-side/eventstore/port';
import { READERS } from '../server/http/access';
import { CATALOG, type CatalogAlertDoc } from './catalog-collections';

export interface CatalogStreamDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  readonly heartbeatMs?: number;
}

const PRODUCT_EVENTS = new Set(['ProductRegistered', 'ProductRenamed', 'ProductPriceChanged', 'ProductDiscontinued', 'ProductBarcodesChanged', 'ProductCategorized']);
const ALERT_EVENTS = new Set(['CatalogConflictRaised', 'CatalogConflictResolved']);

interface CatalogChange { readonly id: string; readonly event: 'product' | 'catalog-alert'; readonly data: unknown }

export function catalogChanges(deps: CatalogStreamDeps): Observable<CatalogChange> {
  return defer(() => from(deps.eventStore.headPosition())).pipe(
    switchMap((head) => deps.eventStore.subscribe(head)),
    filter((e: RecordedEvent) => PRODUCT_EVENTS.has(e.type) || ALERT_EVENTS.has(e.type)),
    // In log order, each once the read models include it.
    concatMap(async (e): Promise<CatalogChange[]> => {
      await deps.waitForPosition(e.position, 5000);
      const id = e.position.toString();
      if (PRODUCT_EVENTS.has(e.type)) {
        const doc = await deps.readStore.get<ProductDoc>(COLLECTIONS.products, String(e.data.sku));
        if (!doc) return [];
        const { _id, ...product } = doc;
        return [{ id, event: 'product', data: product }];
      }
      const doc = await deps.readStore.get<CatalogAlertDoc>(CATALOG.alerts, `${String(e.data.connectionId)}|${String(e.data.conflictId)}`);
      return doc ? [{ id, event: 'catalog-alert', data: doc }] : [];
    }),
    concatMap((changes) => from(changes)),
    share(),
  );
}

export async function catalogStreamRoute(app: FastifyInstance, deps: CatalogStreamDeps): Promise<void> {
  const changes$ = catalogChanges(deps);
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.destroy();
  });
  app.get('/api/catalog/stream', {
    config: { access: { roles: READERS } },
    schema: {
      tags: ['catalog'], summary: 'Server-Sent Events: catalog changes (`product`, `catalog-alert`); `id:` is the position',
      response: { 200: { description: 'text/event-stream', type: 'string' } },
    },
  }, async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    open.add(raw);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
      'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff',
    });
    raw.write(': catalog stream\n\n');
    const subscription = changes$.subscribe((c) => {
      raw.write(`id: ${c.id}\nevent: ${c.event}\ndata: ${JSON.stringify(c.data)}\n\n`);
      if (raw.writableLength > 1024 * 1024) raw.destroy(); // too slow a client: it reconnects
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), deps.heartbeatMs ?? 15_000);
    raw.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      open.delete(raw);
    });
  });
}
