/**
 * The `projector` role: every live projection, run by the one holder of the `projector` lease,
 * each batch commit fenced by the lease's token. Reads the log by polling when the event store
 * is embedded (the appends happen in another thread or process).
 */
import { join } from 'node:path';
import { openEventStore } from '../../write-side/eventstore/open-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { openReadStore } from '../../projections/readstore/open-read-store';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { openLeaseStore } from '../../topology/lease/open-lease-store';
import { runUnderLease } from '../../topology/leased';
import { pollingSubscriptions } from '../../topology/polled-log';
import type { RoleState } from '../../topology/roles';
import { liveProjections } from '../live-projections';
import type { RoleConfig } from './role-config';

export interface StartedRole {
  stop(): Promise<void>;
}

export async function startProjectorRole(
  config: RoleConfig, holder: string, report: (state: RoleState) => void, log: (m: string) => void,
): Promise<StartedRole> {
  const opened = await openEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir });
  const eventStore = opened.kind === 'embedded' ? pollingSubscriptions(opened, config.pollMs) : opened;
  // Kept changes: the api (another thread or process) feeds SSE from them.
  const readStore = config.mongodbUri
    ? await openReadStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir })
    : new SqliteReadStore({ path: join(config.dataDir, 'read.sqlite'), keepChanges: true });
  const leases = await openLeaseStore(config);
  const leased = runUnderLease({
    leases, name: 'projector', holder, ttlMs: config.leaseTtlMs, report, log,
    async start(lease) {
      let token: bigint | undefined = lease.token;
      const runner = new ProjectionRunner({
        eventStore, readStore, projections: [...liveProjections], log,
        fence: () => (token === undefined ? undefined : { name: 'projector', token }),
      });
      await runner.start();
      return {
        async stop() {
          await runner.stop();
          token = undefined;
        },
      };
    },
  });
  return {
    async stop() {
      await leased.stop();
      await Promise.allSettled([readStore.close(), leases.close()]);
      await eventStore.close();
    },
  };
}
