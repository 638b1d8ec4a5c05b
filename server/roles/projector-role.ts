/**
 * The `projector` role: every live projection, run by the one holder of the `projector` lease,
 * each batch commit fenced by the lease's token. Reads the log by polling when the event store
 * is embedded (the appends happen in another thread or process).
 */
import { join } from 'node:path';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { runUnderLease } from '../../topology/leased';
import { pollingSubscriptions } from '../../topology/polled-log';
import type { RoleState } from '../../topology/roles';
import { liveProjections } from '../live-projections';
import { fileAnnouncer, fileSignals } from '../../storage/file-signals';
import { auditTime } from 'rxjs';
import type { RoleConfig } from './role-config';
import { roleEventStore, roleLeaseStore, roleReadStore } from './role-stores';

export interface StartedRole {
  stop(): Promise<void>;
}

export async function startProjectorRole(
  config: RoleConfig, holder: string, report: (state: RoleState) => void, log: (m: string) => void,
): Promise<StartedRole> {
  const opened = await roleEventStore(config);
  // Woken by the appender's commits in this process; polled for appends of other processes.
  const eventStore = opened.kind === 'embedded'
    ? pollingSubscriptions(opened, config.pollMs, fileSignals(join(config.dataDir, 'events.sqlite')))
    : opened;
  // Kept changes: the api (another thread or process) feeds SSE from them.
  const readStore = await roleReadStore(config, true);
  const leases = await roleLeaseStore(config);
  const leased = runUnderLease({
    leases, name: 'projector', holder, ttlMs: config.leaseTtlMs, report, log,
    async start(lease) {
      let token: bigint | undefined = lease.token;
      const runner = new ProjectionRunner({
        eventStore, readStore, projections: [...liveProjections], log,
        fence: () => (token === undefined ? undefined : { name: 'projector', token }),
      });
      // The api of this process reads the kept changes as soon as a batch carrying some is committed.
      const announcer = readStore.kind === 'embedded' ? fileAnnouncer(join(config.dataDir, 'read.sqlite')) : undefined;
      const announcing = announcer && runner.changes$.pipe(auditTime(0)).subscribe(() => announcer.announce());
      await runner.start();
      return {
        async stop() {
          await runner.stop();
          announcing?.unsubscribe();
          announcer?.close();
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
