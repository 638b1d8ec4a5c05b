/**
 * Composition root: opens the stores behind their ports, builds the write side, the
 * projectors and the HTTP surface, and wires them together. Nothing else constructs adapters.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { AppConfig } from './config';
import { createFastify } from './http/fastify-base';
import { leanPosRoutes } from './http/lean-pos-routes';
import { healthRoutes } from './health-route';
import { seedDemoChain } from './demo/demo-chain';
import { openEventStore } from '../write-side/eventstore/open-event-store';
import { createStockCommands } from '../write-side/commands/service';
import { openSnapshotStore } from '../write-side/commands/snapshots/open-snapshot-store';
import { commandRoutes } from '../write-side/http/command-routes';
import { openReadStore } from '../projections/readstore/open-read-store';
import { withRetriedReads } from '../projections/readstore/retried-reads';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { liveProjections } from './live-projections';
import { readRoutes } from '../read-api/read-routes';
import { streamRoutes } from '../read-api/stream-route';
import { installSecurity } from '../security/install-security';
import { openIdentityStore } from '../security/identity/open-identity-store';
import { posRoutes } from '../pos/pos-routes';
import { openPosStore } from '../pos/connections/open-pos-store';
import { openInboxStore } from '../pos/inbox/open-inbox-store';
import { startCsvFolderWatcher } from '../pos/csv/csv-folder-watcher';
import { startReconciliationJob } from '../pos/reconciliation/reconciliation-job';
import { createOutboundSender, openOutboundStore, outboundRoutes } from '../outbound/index';
import { createPurchasingCommands } from '../purchasing/commands/purchasing-service';
import { purchasingRoutes } from '../purchasing/http/purchasing-routes';
import { overduePurchaseOrderAlerts } from '../purchasing/http/views';
import { seedDemoPurchasing } from '../purchasing/demo/demo-purchasing';
import { createCatalogModule, openCatalogStore } from '../catalog/index';
import { openLeaseStore } from '../topology/lease/open-lease-store';
import { runUnderLease } from '../topology/leased';
import { newHolderId } from '../topology/holder';
import { goLiveRoutes, goLivePhases, shadowCheck } from '../go-live/index';
import { createAuditTrail } from '../audit/audit-trail';
import { auditRoutes } from '../audit/audit-routes';
import { pollRoutes } from '../polls/poll-routes';
import { feedbackRoutes } from '../feedback/feedback-routes';
import { pollChanges } from '../polls/poll-changes';
import { projectionFeed, type ProjectionView } from '../topology/projection-feed';
import type { Role, RoleState } from '../topology/roles';
import { installApiDocs, openApiOptions } from '../api-docs/install-api-docs';
import { exportRoutes } from '../read-api/exports/export-routes';
import { installEtags } from '../read-api/caching/etag';
import { positionValidatedRoutes } from '../api-docs/route-meta';
import { metricsRoutes } from '../metrics/metrics-routes';
import { forecastRoutes } from '../forecasting/index';
import { overviewRoutes } from '../overview/overview-routes';
import { openRateCounterStore } from '../security/rate-counters/open-rate-counter-store';
import { countSessionRoutes } from '../counting/count-session-routes';
import { systemClock, type Clock } from './clock';
import { createForecaster } from '../forecasting/forecaster';
import { fileSignals } from '../storage/file-signals';

export type BuildOptions = Partial<AppConfig> & {
  /** Listen on `host:port` (port 0 picks a free one). Tests usually use `app.inject` instead. */
  readonly listen?: boolean;
  readonly logger?: boolean;
  /**
   * The projector and outbound roles run elsewhere (worker threads, other processes:
   * topology/): this api neither projects nor sends; it follows the read store's checkpoints
   * and change log for `minPosition`, SSE and /health, and reports `roleStates()` there.
   */
  readonly split?: { readonly roleStates: () => Partial<Record<Role, RoleState>> };
  /** The one source of "now" (server/clock.ts); the system clock unless a simulation or test injects one. */
  readonly clock?: Clock;
};

export interface BuiltApp {
  readonly app: FastifyInstance;
  /** `http://host:port` when listening. */
  readonly url: string;
  readonly services: {
    readonly eventStore: Awaited<ReturnType<typeof openEventStore>>;
    readonly readStore: Awaited<ReturnType<typeof openReadStore>>;
    readonly commands: ReturnType<typeof createStockCommands>;
    readonly runner: ProjectionRunner;
    readonly identity: Awaited<ReturnType<typeof openIdentityStore>>;
    readonly posStore: Awaited<ReturnType<typeof openPosStore>>;
    readonly purchasing: ReturnType<typeof createPurchasingCommands>;
    readonly catalog: ReturnType<typeof createCatalogModule>;
    readonly clock: Clock;
  };
  close(): Promise<void>;
}

const UI_DIST = join(import.meta.dirname, '..', 'ui', 'dist');

export async function buildApp(options: BuildOptions = {}): Promise<BuiltApp> {
  const config = {
    port: 3000, host: '127.0.0.1', dataDir: join(process.cwd(), 'data'), demo: false, currency: 'USD',
    transferOverdueHours: 48, posReconcileMinutes: 0, logLevel: 'info', cookieSecure: false, corsOrigins: [], ...options,
  };
  const eventStore = await openEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir, databaseUrl: config.databaseUrl, appendInWorker: options.appendInWorker ?? options.split !== undefined });
  const readStore = await openReadStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const identity = await openIdentityStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const posStore = await openPosStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const posInbox = await openInboxStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl, checkpointInWorker: options.appendInWorker ?? options.split !== undefined });
  const outboundStore = await openOutboundStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const catalogStore = await openCatalogStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const snapshots = await openSnapshotStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const rateCounters = await openRateCounterStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const commands = createStockCommands(eventStore, { snapshots, onSnapshotError: (error) => console.warn('snapshot not saved', error) });
  const purchasing = createPurchasingCommands(eventStore, { currency: config.currency });
  const clock = options.clock ?? systemClock;
  // One forecaster per process: its forecasts drive purchasing's reorder suggestions and answer /api/forecast.
  const forecaster = createForecaster(readStore, clock);
  // Projectors wait out a database outage in their reads instead of stopping (retried-reads.ts).
  const runner = new ProjectionRunner({ eventStore, readStore: withRetriedReads(readStore), projections: [...liveProjections] });
  // Woken by the projector worker of this process as it commits changes (other processes: polled).
  const feedWakeUps = readStore.kind === 'embedded' ? fileSignals(join(config.dataDir, 'read.sqlite')) : undefined;
  const feed = options.split ? projectionFeed({ readStore, projections: liveProjections.map((p) => p.name), ...(feedWakeUps && { wakeUps: feedWakeUps }) }) : undefined;
  await feed?.ready;
  const view: ProjectionView = feed ?? runner;
  const catalogModule = createCatalogModule({
    eventStore, readStore, commands, connections: posStore, store: catalogStore, log: (message: string) => console.warn(message),
    phases: goLivePhases({ commands, eventStore }),
    currency: config.currency,
    clock,
  });

  const app = createFastify({
    logger: options.logger === false ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  // Swagger first: it must see every route, including those installSecurity registers.
  await app.register(fastifySwagger, openApiOptions({ port: config.port, host: config.host }));
  installApiDocs(app);
  // Before any route: security, POS and outbound routes record to it (audit/record-audit.ts).
  app.decorate('auditTrail', createAuditTrail(eventStore, clock));
  await installSecurity(app, {
    identity,
    config: {
      adminPassword: config.adminPassword,
      cookieSecure: config.cookieSecure,
      corsOrigins: config.corsOrigins,
      ...(config.apiRateLimit !== undefined && { rateLimit: { apiMax: config.apiRateLimit } }),
      // API docs and the dashboard's static files are public GETs (never under /api or /pos).
      publicPrefixes: ['/docs', '/'],
    },
    log: (message: string) => console.log(message),
    rateCounters,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  leanPosRoutes(app);

  const currentPosition = () => view.position();
  installEtags(app, {
    currentPosition, positionValidated: positionValidatedRoutes(),
    checkpoints: () => Promise.all(liveProjections.map((p) => readStore.checkpoint(p.name))),
  });
  await metricsRoutes(app, { eventStore, readStore, projections: liveProjections.map((p) => p.name), outbound: outboundStore, connections: posStore });
  await app.register(async (scope) => {
    await healthRoutes(scope, {
      eventStore, readStore, currentPosition, currency: config.currency,
      roles: () => ({ api: 'active', ...(options.split ? options.split.roleStates() : { projector: 'active', outbound: 'active' }) }),
    });
    await commandRoutes(scope, { commands, eventStore, clock });
    await readRoutes(scope, {
      readStore,
      waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs),
      currentPosition,
      transferOverdueHours: config.transferOverdueHours,
      computedAlerts: [(now) => overduePurchaseOrderAlerts(readStore, now)],
      currency: config.currency,
      clock,
    });
    await streamRoutes(scope, {
      changes$: view.changes$, readStore, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs),
      pollChanges$: pollChanges(eventStore, (p, timeoutMs) => view.waitForPosition(p, timeoutMs)),
    });
    await posRoutes(scope, { commands, connections: posStore, inbox: posInbox, log: app.log, intake: config.posIntake ?? {},
      ...catalogModule.posHooks, clock });
    await outboundRoutes(scope, {
      store: outboundStore, connections: posStore, readStore, headPosition: () => eventStore.headPosition(), clock,
    });
    await purchasingRoutes(scope, {
      purchasing, stock: commands, readStore, currentPosition, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs),
      clock, reorderPointProvider: forecaster.provider,
    });
    await catalogModule.routes(scope, { currentPosition, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs) });
    await goLiveRoutes(scope, { commands, eventStore, readStore, currentPosition, connections: posStore, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs), clock });
    const staffVoice = { eventStore, readStore, waitForPosition: (p: bigint, t: number) => view.waitForPosition(p, t), currentPosition, clock };
    await pollRoutes(scope, staffVoice);
    await feedbackRoutes(scope, staffVoice);
    await auditRoutes(scope, staffVoice);
    await forecastRoutes(scope, { readStore, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs), currentPosition, changes$: view.changes$, clock, forecaster });
    await overviewRoutes(scope, { readStore, posStore, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs), currentPosition, transferOverdueHours: config.transferOverdueHours, clock });
    await countSessionRoutes(scope, { eventStore, readStore, commands, currentPosition, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs), clock });
    await exportRoutes(scope, { readStore, eventStore, currentPosition, waitForPosition: (p, timeoutMs) => view.waitForPosition(p, timeoutMs), currency: config.currency, clock });
  });

  if (existsSync(UI_DIST)) {
    await app.register(fastifyStatic, { root: UI_DIST, wildcard: false });
    // Client-side navigation: any non-API GET falls back to the dashboard.
    app.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/') || request.url.startsWith('/pos/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }

  if (config.demo && (await eventStore.headPosition()) === 0n) {
    const { commands: issued } = await seedDemoChain(commands, clock());
    app.log.info(`demo chain seeded (${issued} commands)`);
    const { commands: purchasingIssued } = await seedDemoPurchasing(purchasing, clock());
    app.log.info(`demo purchasing seeded (${purchasingIssued} commands)`);
  }
  if (!options.split) await runner.start();
  // Imports that were running when the process stopped carry on (pages are idempotent).
  await catalogModule.imports.resumeInterrupted();
  // Api processes sharing their stores run one product pusher between them: whoever holds the lease.
  const pushLeases = await openLeaseStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const productPushLease = runUnderLease({
    leases: pushLeases, name: 'catalog-push', holder: newHolderId(), ttlMs: config.leaseTtlMs ?? 5000, log: (message: string) => app.log.warn(message),
    async start() {
      catalogModule.productPush.start();
      return { stop: () => catalogModule.productPush.stop() };
    },
  });
  const sender = createOutboundSender({
    store: outboundStore, readStore, connections: posStore, log: (message: string) => app.log.warn(message),
    shadow: shadowCheck(readStore),
    pushMap: catalogModule.pushMap,
    clock,
  });
  if (!options.split) sender.start();
  const watcher = config.posImportDir
    ? startCsvFolderWatcher({ dir: config.posImportDir, commands, connections: posStore, log: app.log })
    : undefined;
  const reconciliation = config.posReconcileMinutes > 0
    ? startReconciliationJob({ commands, connections: posStore, intervalMs: config.posReconcileMinutes * 60_000, log: app.log, mapping: catalogModule.posHooks.mapping })
    : undefined;

  let url = '';
  if (options.listen) url = await app.listen({ port: config.port, host: config.host });
  else await app.ready();

  let closed = false;
  return {
    app,
    url,
    services: { eventStore, readStore, commands, runner, identity, posStore, purchasing, catalog: catalogModule, clock },
    async close() {
      if (closed) return;
      closed = true;
      watcher?.stop();
      reconciliation?.stop();
      await app.close();
      await productPushLease.stop();
      await pushLeases.close();
      await catalogModule.stop();
      await sender.stop();
      await runner.stop();
      feed?.stop();
      await Promise.allSettled([readStore.close(), identity.close(), posStore.close(), outboundStore.close(), snapshots.close(), catalogStore.close(), posInbox.close()]);
      await rateCounters.close().catch(() => undefined);
      await eventStore.close();
    },
  };
}
