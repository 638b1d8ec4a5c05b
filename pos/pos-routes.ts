/**
 * The POS integration's HTTP surface (CONTRACT.md, "POS integration"):
 * - `POST /pos/:connectionId/webhook` (public: the signature is the credential)
 * - `POST /api/pos/:connectionId/import` (text/csv)
 * - `/api/pos/connections` (admins) with their health, `/api/pos/quarantine` (admins, managers)
 * and the inbox worker that settles deliveries left pending (started when the app is ready,
 * stopped when it closes).
 */
import type { FastifyInstance } from 'fastify';
import { connectionRoutes } from './connections/connection-routes';
import { csvRoutes } from './csv/csv-routes';
import { loadHealth } from './health/connection-health';
import { healthRoutes } from './health/health-routes';
import { createInboxWorker, exponentialBackoff } from './inbox/inbox-worker';
import { DEFAULT_INTAKE, processDepsOf, type PosRoutesDeps } from './processing/process-deps';
import { quarantineRoutes } from './quarantine/quarantine-routes';
import { webhookRoutes, type WebhookDeps } from './webhook/webhook-routes';

export type { PosDeps, PosRoutesDeps } from './processing/process-deps';
export { openPosStore } from './connections/open-pos-store';
export { openInboxStore } from './inbox/open-inbox-store';
export type { ConnectionStore } from './connections/connection-store';
export { startCsvFolderWatcher } from './csv/csv-folder-watcher';
export { startReconciliationJob } from './reconciliation/reconciliation-job';

export async function posRoutes(app: FastifyInstance, deps: PosRoutesDeps): Promise<void> {
  const processDeps = processDepsOf(deps);
  const settings = { ...DEFAULT_INTAKE, ...deps.intake };
  const inFlight = new Set<string>();
  const intake = {
    ...processDeps, inbox: deps.inbox, inFlight, maxAttempts: settings.maxAttempts,
    backoffMs: exponentialBackoff(settings.retryBaseMs, settings.retryMaxMs),
    ...(deps.log && { log: deps.log }),
  };
  const worker = createInboxWorker({ ...intake, connections: deps.connections }, { sweepMs: settings.sweepMs });
  const webhookDeps: WebhookDeps = { ...intake, schedule: (id, delayMs) => worker.schedule(id, delayMs), answerBudgetMs: settings.answerBudgetMs };
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());

  // Own scopes: their content-type parsers (raw bytes, text/csv) apply to these routes only.
  await app.register(async (scope) => webhookRoutes(scope, webhookDeps));
  await app.register(async (scope) => csvRoutes(scope, processDeps));
  const healthDeps = { connections: deps.connections, inbox: deps.inbox, clock: processDeps.clock, silentAfterMinutes: settings.silentAfterMinutes };
  await connectionRoutes(app, { store: deps.connections, clock: processDeps.clock, health: (c) => loadHealth(healthDeps, c) });
  await quarantineRoutes(app, processDeps);
  await healthRoutes(app, healthDeps);
}
