/**
 * What the dashboard offers to whom. The server enforces the same rules (server/http/access.ts);
 * the UI only hides what a role cannot do so nobody is invited to a 403.
 */
import type { User } from './api/types';

export type Capability =
  | 'receive'
  | 'count'
  | 'adjust'
  | 'createTransfer'
  | 'dispatchTransfer'
  | 'receiveTransfer'
  | 'quarantine'
  /** Suppliers, reorder rules, drafting and sending purchase orders, acting on suggestions. */
  | 'purchase'
  | 'catalog'
  | 'polls'
  | 'audit'
  | 'posHealth'
  /** The go-live flow: admins run it, managers upload opening balances and read their readiness. */
  | 'onboarding'
  /** A product's category (it scopes counts, which managers open). */
  | 'categorize';

export function isScoped(user: User): boolean {
  return user.role === 'manager' || user.role === 'staff';
}

/** May this user act at all of the given locations (scope only)? */
export function inScope(user: User, ...locationIds: string[]): boolean {
  return !isScoped(user) || locationIds.every((id) => user.locations.includes(id));
}

function roleAllows(user: User, capability: Capability): boolean {
  switch (capability) {
    case 'receive':
    case 'count':
    case 'adjust':
    case 'receiveTransfer':
      return user.role === 'admin' || user.role === 'manager' || user.role === 'staff';
    case 'createTransfer':
    case 'dispatchTransfer':
    case 'quarantine':
    case 'purchase':
      return user.role === 'admin' || user.role === 'manager';
    case 'catalog':
      return user.role === 'admin';
    case 'polls': // create polls and read results (analysts read them too)
      return user.role === 'admin' || user.role === 'manager' || user.role === 'analyst';
    case 'audit':
      return user.role === 'admin' || user.role === 'auditor';
    case 'posHealth':
      return user.role === 'admin';
    case 'onboarding':
    case 'categorize':
      return user.role === 'admin' || user.role === 'manager';
    default: {
      const _exhaustive: never = capability;
      return _exhaustive;
    }
  }
}

/** `locationId` is where the action happens (the origin of a dispatch, the destination of a receipt). */
export function can(user: User | undefined, capability: Capability, locationId?: string): boolean {
  if (!user || !roleAllows(user, capability)) return false;
  return locationId === undefined || inScope(user, locationId);
}

/** Ids of the locations a user may pick, given every known location. */
export function selectableLocations(user: User, allIds: readonly string[]): string[] {
  return isScoped(user) ? allIds.filter((id) => user.locations.includes(id)) : [...allIds];
}
