/**
 * `npm start`: the roles of `IMS_ROLES` (default all three) with one command. `api` runs on the
 * main thread; `projector` and `outbound` run in worker threads (restarted when they crash),
 * each active only while it holds its lease, so several processes on the same stores keep
 * exactly one active projector and one active sender (docs/topology.md). Embedded stores unless
 * EVENTSTORE_URL / MONGODB_URI are set.
 */
import { ConfigError, loadConfig } from './config';
import { buildApp } from './app';
import { openLeaseStore } from '../topology/lease/open-lease-store';
import { newHolderId } from '../topology/holder';
import { hostWorkers } from '../topology/worker-host';
import type { LeasedRole } from '../topology/roles';
import type { RoleConfig } from './roles/role-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const roleConfig: RoleConfig = {
    dataDir: config.dataDir,
    ...(config.eventStoreUrl && { eventStoreUrl: config.eventStoreUrl }),
    ...(config.mongodbUri && { mongodbUri: config.mongodbUri }),
    leaseTtlMs: config.leaseTtlMs,
    pollMs: 10,
    outboundIntervalMs: 1000,
  };
  const leased = [...config.roles].filter((r): r is LeasedRole => r !== 'api');
  const workers = hostWorkers({
    entry: new URL('./roles/role-worker.mjs', import.meta.url),
    roles: leased,
    workerData: (role) => ({ role, config: roleConfig, holder: newHolderId() }),
    // A crashed worker's lease is released at once, so its restart does not wait for the TTL.
    async onCrash(role, holder) {
      const leases = await openLeaseStore(roleConfig);
      try {
        const current = await leases.current(role);
        if (current?.holder === holder) await leases.release(current);
      } finally {
        await leases.close();
      }
    },
    log: (message) => console.warn(message),
  });

  const api = config.roles.has('api')
    ? await buildApp({ ...config, listen: false, split: { roleStates: () => workers.status() } })
    : undefined;
  await workers.started(30_000);
  if (api) {
    const url = await api.app.listen({ port: config.port, host: config.host });
    api.app.log.info(`Stocktide listening on ${url} (dashboard at /, API docs at /docs; roles: ${[...config.roles].join(', ')})`);
  } else {
    console.log(`Stocktide roles running: ${leased.join(', ')}`);
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    Promise.all([api?.close(), workers.stop()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
