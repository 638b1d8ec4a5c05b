import type { Role } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';

/** Managers and staff act only at their locations; the other roles see the whole chain. */
export function isScopedRole(role: Role): boolean {
  switch (role) {
    case 'manager':
    case 'staff':
      return true;
    case 'admin':
    case 'analyst':
    case 'auditor':
      return false;
    default: {
      const _exhaustive: never = role;
      return _exhaustive;
    }
  }
}

/**
 * The locations stored for a role: a scoped role needs at least one (400 otherwise), an
 * unscoped role stores none, so listings show what actually applies.
 */
export function locationsFor(role: Role, locations: readonly string[] | undefined): string[] {
  if (!isScopedRole(role)) return [];
  if (!locations || locations.length === 0) {
    throw new HttpProblem(400, `role ${role} needs at least one location`, { errors: [] });
  }
  return [...locations];
}
