/**
 * The POS integration's HTTP surface (CONTRACT.md, "POS integration"):
 * - `POST /pos/:connectionId/webhook` (public: the signature is the credential)
 * - `POST /api/pos/:connectionId/import` (text/csv)
 * - `/api/pos/connections` (admins), `/api/pos/quarantine` (admins, managers)
 */
import type { FastifyInstance } from 'fastify';
import { connectionRoutes } from './connections/connection-routes';
import { csvRoutes } from './csv/csv-routes';
import { processDepsOf, type PosDeps } from './processing/process-deps';
import { quarantineRoutes } from './quarantine/quarantine-routes';
import { webhookRoutes } from './webhook/webhook-routes';

export type { PosDeps } from './processing/process-deps';
export { openPosStore } from './connections/open-pos-store';
export type { ConnectionStore } from './connections/connection-store';
export { startCsvFolderWatcher } from './csv/csv-folder-watcher';
export { startReconciliationJob } from './reconciliation/reconciliation-job';

export async function posRoutes(app: FastifyInstance, deps: PosDeps): Promise<void> {
  const processDeps = processDepsOf(deps);
  // Own scopes: their content-type parsers (raw bytes, text/csv) apply to these routes only.
  await app.register(async (scope) => webhookRoutes(scope, processDeps));
  await app.register(async (scope) => csvRoutes(scope, processDeps));
  await connectionRoutes(app, { store: deps.connections, clock: processDeps.clock });
  await quarantineRoutes(app, processDeps);
}
