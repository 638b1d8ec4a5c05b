/**
 * One process of the topology (docs/topology.md): the `api` on this thread (when in
 * `config.roles`), `projector` and `outbound` in worker threads, each active only while it
 * holds its lease. `npm start` (main.ts) and the end-to-end benchmarks start exactly this.
 */
import type { AppConfig } from './config';
import { buildApp, type BuildOptions, type BuiltApp } from './app';
import { openLeaseStore } from '../topology/lease/open-lease-store';
import { newHolderId } from '../topology/holder';
import { hostWorkers, type WorkerHost } from '../topology/worker-host';
import type { LeasedRole } from '../topology/roles';
import type { RoleConfig } from './roles/role-config';

export interface StartedProcess {
  /** The api, listening (absent when `api` is not among the roles). */
  readonly api?: BuiltApp & { readonly url: string };
  readonly workers: WorkerHost;
  close(): Promise<void>;
}

export async function startRoles(
  config: AppConfig, options: Pick<BuildOptions, 'logger' | 'appendInWorker'> & { log?: (message: string) => void } = {},
): Promise<StartedProcess> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const roleConfig: RoleConfig = {
    dataDir: config.dataDir,
    ...(config.eventStoreUrl && { eventStoreUrl: config.eventStoreUrl }),
    ...(config.mongodbUri && { mongodbUri: config.mongodbUri }),
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
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
    log,
  });
  try {
    const built = config.roles.has('api')
      ? await buildApp({ ...config, ...options, listen: false, split: { roleStates: () => workers.status() } })
      : undefined;
    // Serve once the roles are up: a read with minPosition right after the first /health must
    // not wait for a worker that is still loading its modules.
    await workers.started(30_000);
    const url = built ? (await built.app.listen({ port: config.port, host: config.host })).replace('localhost', '127.0.0.1') : '';
    return {
      ...(built && { api: { ...built, url } }),
      workers,
      async close() {
        await Promise.all([built?.close(), workers.stop()]);
      },
    };
  } catch (error) {
    await workers.stop();
    throw error;
  }
}
