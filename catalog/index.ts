/**
 * The catalog capability assembled: its store, command service, import runner, live-sync
 * topic table and the derived SKU map. The composition root opens it once and hands its parts
 * to the POS intake (`mapping`, `topics`) and to the HTTP routes.
 */
import type { FastifyInstance } from 'fastify';
import { COLLECTIONS, type StockDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import type { ConnectionStore } from '../pos/connections/connection-store';
import type { StockCommands } from '../write-side/commands/types';
import type { EventStore } from '../write-side/eventstore/port';
import { catalogRoutes } from './catalog-routes';
import { catalogStreamRoute } from './catalog-stream';
import { createCatalogService } from './catalog-service';
import { derivedMapping, derivedPushMap } from './derived-map';
import { ImportRunner, type PhaseRunner } from './import/import-runner';
import { catalogTopicDispatch, catalogTopicHandlers } from './live-sync';
import type { CatalogStore, ImportPhase } from './store/catalog-store';
import { createProductPusher } from './push/product-pusher';
import { productPushRoutes } from './push/product-push-routes';

export { openCatalogStore } from './store/open-catalog-store';
export { posCatalogProjection } from './catalog-projection';

export interface CatalogModuleDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly commands: StockCommands;
  readonly connections: ConnectionStore;
  readonly store: CatalogStore;
  readonly fetchImpl?: typeof fetch;
  readonly clock?: () => Date;
  /** Extra import phases (go-live's `balances`), built with the catalog service. */
  readonly phases?: (catalog: ReturnType<typeof createCatalogService>) => Partial<Record<ImportPhase, PhaseRunner>>;
  readonly log?: (message: string) => void;
  readonly backoffMs?: number;
  /** ISO 4217 code of prices pushed to Square (`IMS_CURRENCY`). Default USD. */
  readonly currency?: string;
  /** Pause between product push runs. Default 2000 ms. */
  readonly pushIntervalMs?: number;
}

/** On-hand of a SKU over every location, from the stock read model. */
export const onHandFrom = (readStore: ReadStore) => async (sku: string): Promise<number> =>
  (await readStore.find<StockDoc>(COLLECTIONS.stock, { where: { sku } })).reduce((sum, d) => sum + d.onHand, 0);

export function createCatalogModule(deps: CatalogModuleDeps) {
  const catalog = createCatalogService({ eventStore: deps.eventStore, onHand: onHandFrom(deps.readStore) });
  const imports = new ImportRunner({
    store: deps.store, connections: deps.connections, catalog, commands: deps.commands,
    ...(deps.fetchImpl && { fetchImpl: deps.fetchImpl }), ...(deps.clock && { clock: deps.clock }),
    ...(deps.phases && { phases: deps.phases(catalog) }), ...(deps.log && { log: deps.log }),
    ...(deps.backoffMs !== undefined && { backoffMs: deps.backoffMs }),
  });
  const productPush = createProductPusher({
    eventStore: deps.eventStore, catalog, store: deps.store, connections: deps.connections, currency: deps.currency ?? 'USD',
    ...(deps.fetchImpl && { fetchImpl: deps.fetchImpl }), ...(deps.clock && { clock: deps.clock }), ...(deps.log && { log: deps.log }),
    ...(deps.pushIntervalMs !== undefined && { intervalMs: deps.pushIntervalMs }),
  });
  const handlers = catalogTopicHandlers({ catalog, store: deps.store, ...(deps.fetchImpl && { fetchImpl: deps.fetchImpl }) });
  return {
    catalog,
    imports,
    /** Products created or changed in Stocktide → POS connections that allow it (`start()` in the api). */
    productPush,
    handlers,
    /** For the POS intake: `mapping` and `topics` (see pos/processing/process-delivery.ts). */
    posHooks: { mapping: derivedMapping(deps.readStore), topics: catalogTopicDispatch(handlers, deps.clock) },
    /** For the outbound sender: push id → SKU per connection (Shopify inventory item ids). */
    pushMap: derivedPushMap(deps.readStore),
    async routes(app: FastifyInstance, read: { currentPosition: () => bigint; waitForPosition: (p: bigint, timeoutMs: number) => Promise<boolean> }) {
      await catalogRoutes(app, {
        catalog, imports, store: deps.store, connections: deps.connections, readStore: deps.readStore, ...read,
        ...(deps.clock && { clock: deps.clock }), pushOver: productPush.pushOver,
      });
      await productPushRoutes(app, { store: deps.store, connections: deps.connections, headPosition: () => deps.eventStore.headPosition(), ...(deps.clock && { clock: deps.clock }) });
      await catalogStreamRoute(app, { eventStore: deps.eventStore, readStore: deps.readStore, waitForPosition: read.waitForPosition });
    },
    async stop() {
      await productPush.stop();
      await imports.stop();
    },
  };
}
