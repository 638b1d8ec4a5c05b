/**
 * The roles a process runs (`IMS_ROLES`, CONTRACT "PostgreSQL"): `api` serves HTTP (commands,
 * webhooks, reads, SSE); `projector` runs the projection runner; `outbound` runs the outbox
 * sender and POS pushes. Default: all three (`npm start`: api on the main thread, the others in
 * worker threads). See docs/topology.md.
 */
export const ROLES = ['api', 'projector', 'outbound'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that must have exactly one active instance (held under a lease). */
export type LeasedRole = Exclude<Role, 'api'>;

export class RolesError extends Error {}

export function parseRoles(text: string | undefined): ReadonlySet<Role> {
  if (text === undefined || text.trim() === '') return new Set(ROLES);
  const roles = new Set<Role>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(ROLES as readonly string[]).includes(part)) throw new RolesError(`IMS_ROLES: unknown role "${part}" (use ${ROLES.join(', ')})`);
    roles.add(part as Role);
  }
  if (roles.size === 0) throw new RolesError('IMS_ROLES names no role');
  return roles;
}

/** What /health says about a role hosted by this process. */
export type RoleState = 'starting' | 'active' | 'standby' | 'restarting' | 'stopped';
