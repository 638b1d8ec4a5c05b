/**
 * The `outbound` role: the outbox sender (signed webhooks, POS balance pushes), run by the one
 * holder of the `outbound` lease. A sender that loses its lease stops before its next run; an
 * attempt already in flight may still reach its receiver, which drops the repeat by
 * `X-Stocktide-Event-Id` (docs/topology.md, failure modes).
 */
import { createOutboundSender } from '../../outbound/sender';
import { derivedPushMap } from '../../catalog/derived-map';
import { shadowCheck } from '../../go-live/location-mode-projection';
import { runUnderLease } from '../../topology/leased';
import type { RoleState } from '../../topology/roles';
import type { StartedRole } from './projector-role';
import type { RoleConfig } from './role-config';
import { roleConnectionStore, roleLeaseStore, roleOutboundStore, roleReadStore } from './role-stores';

export async function startOutboundRole(
  config: RoleConfig, holder: string, report: (state: RoleState) => void, log: (m: string) => void,
): Promise<StartedRole> {
  const readStore = await roleReadStore(config, false);
  const store = await roleOutboundStore(config);
  const connections = await roleConnectionStore(config);
  const leases = await roleLeaseStore(config);
  const leased = runUnderLease({
    leases, name: 'outbound', holder, ttlMs: config.leaseTtlMs, report, log,
    async start() {
      const sender = createOutboundSender({ store, readStore, connections, log, intervalMs: config.outboundIntervalMs,
        shadow: shadowCheck(readStore), pushMap: derivedPushMap(readStore) });
      sender.start();
      return sender;
    },
  });
  return {
    async stop() {
      await leased.stop();
      await Promise.allSettled([readStore.close(), store.close(), connections.close(), leases.close()]);
    },
  };
}
