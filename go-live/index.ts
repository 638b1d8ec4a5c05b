/** The go-live capability assembled: opening balances (POS import phase, CSV/JSON route), modes, readiness, connection test. */
import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../catalog/catalog-service';
import type { PhaseRunner } from '../catalog/import/import-runner';
import type { StockCommands } from '../write-side/commands/types';
import { balancesPhase } from './balances-phase';
import { openingBalanceRoutes } from './opening-routes';
import { modeRoutes, type ModeRouteDeps } from './mode-routes';
import { OpeningDates } from './opening-date';
import { connectionTestRoute } from './connection-test-route';
import type { ConnectionStore } from '../pos/connections/connection-store';
import type { EventStore } from '../write-side/eventstore/port';

export { locationModeProjection, shadowCheck } from './location-mode-projection';

/** The import phases go-live adds (`balances`), given the catalog service (for the derived map). */
export const goLivePhases = (deps: { commands: StockCommands; eventStore: EventStore; fetchImpl?: typeof fetch }) =>
  (catalog: CatalogService): { balances: PhaseRunner } => ({
    balances: balancesPhase({ commands: deps.commands, dates: new OpeningDates(deps.eventStore), catalog, ...(deps.fetchImpl && { fetchImpl: deps.fetchImpl }) }),
  });

export async function goLiveRoutes(app: FastifyInstance, deps: ModeRouteDeps & { connections: ConnectionStore; fetchImpl?: typeof fetch }): Promise<void> {
  // Own scope: its text/csv parser applies to this route only.
  await app.register(async (scope) => openingBalanceRoutes(scope, deps));
  await modeRoutes(app, deps);
  await connectionTestRoute(app, deps);
}
