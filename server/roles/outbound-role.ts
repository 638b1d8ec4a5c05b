/**
 * The `outbound` role: the outbox sender (signed webhooks, POS balance pushes), run by the one
 * holder of the `outbound` lease. A sender that loses its lease stops before its next run; an
 * attempt already in flight may still reach its receiver, which drops the repeat by
 * `X-Stocktide-Event-Id` (docs/topology.md, failure modes).
 */
import { createOutboundSender, openOutboundStore } from '../../outbound/index';
import { openReadStore } from '../../projections/readstore/open-read-store';
import { openPosStore } from '../../pos/connections/open-pos-store';
import { openLeaseStore } from '../../topology/lease/open-lease-store';
import { runUnderLease } from '../../topology/leased';
import type { RoleState } from '../../topology/roles';
import type { StartedRole } from './projector-role';
import type { RoleConfig } from './role-config';

export async function startOutboundRole(
  config: RoleConfig, holder: string, report: (state: RoleState) => void, log: (m: string) => void,
): Promise<StartedRole> {
  const readStore = await openReadStore(config);
  const store = await openOutboundStore(config);
  const connections = await openPosStore(config);
  const leases = await openLeaseStore(config);
  const leased = runUnderLease({
    leases, name: 'outbound', holder, ttlMs: config.leaseTtlMs, report, log,
    async start() {
      const sender = createOutboundSender({ store, readStore, connections, log, intervalMs: config.outboundIntervalMs });
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
