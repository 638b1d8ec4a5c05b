import type { LeasedRole, RoleState } from '../../topology/roles';
import { startOutboundRole } from './outbound-role';
import { startProjectorRole, type StartedRole } from './projector-role';
import type { RoleConfig } from './role-config';

/** Starts one leased role in this thread (a worker's, or the main thread of a process without `api`). */
export function startRole(
  role: LeasedRole, config: RoleConfig, holder: string, report: (state: RoleState) => void, log: (m: string) => void,
): Promise<StartedRole> {
  switch (role) {
    case 'projector': return startProjectorRole(config, holder, report, log);
    case 'outbound': return startOutboundRole(config, holder, report, log);
    default: {
      const _exhaustive: never = role;
      throw new Error(`no such role ${String(_exhaustive)}`);
    }
  }
}
