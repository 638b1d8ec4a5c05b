/**
 * Who may call a route. Every route declares `config.access`; the security plugin refuses
 * to register a route without one, authenticates each request and enforces the roles.
 * Object-level checks (which locations) are made in handlers with the helpers below.
 */
import type { FastifyRequest } from 'fastify';
import { roles, type permissionNames } from '../../schemas/common';

export type Role = (typeof roles)[number];
export type Permission = (typeof permissionNames)[number];

export interface Principal {
  readonly username: string;
  readonly role: Role;
  /** Locations a manager or staff member is scoped to; every other role sees the whole chain. */
  readonly locations: readonly string[];
  /** How the request authenticated. */
  readonly via: 'session' | 'bearer' | 'api-token';
  /** Grants beyond the role (absent: none). */
  readonly permissions?: readonly Permission[];
}

export type RouteAccess =
  /** No credentials needed (health, login, POS webhooks that carry their own signature). */
  | { readonly public: true }
  | {
      readonly roles: readonly Role[];
      /** The route answers in costs only (turnover): a principal who does not see costs gets 403. */
      readonly costs?: true;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Role groups of the matrix in docs/security.md. */
export const ALL_ROLES: readonly Role[] = roles;
export const READERS: readonly Role[] = ['admin', 'manager', 'staff', 'analyst', 'auditor'];
/** Stock operations at a location: receipts, counts, adjustments, transfer receipts. */
export const OPERATORS: readonly Role[] = ['admin', 'manager', 'staff'];
export const MANAGERS: readonly Role[] = ['admin', 'manager'];
export const ADMINS: readonly Role[] = ['admin'];
/** The raw event log and rebuild verification. */
export const AUDITORS: readonly Role[] = ['admin', 'auditor'];

export class Forbidden extends Error {
  constructor(message = 'not allowed') {
    super(message);
    this.name = 'Forbidden';
  }
}

const isScoped = (p: Principal): boolean => p.role === 'manager' || p.role === 'staff';

/** The principal of an authenticated route (the security plugin has set it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Forbidden('no principal on an authenticated route');
  return request.principal;
}

/** 'all', or the only locations this principal may read or act on. */
export function visibleLocations(request: FastifyRequest): 'all' | readonly string[] {
  const p = principalOf(request);
  return isScoped(p) ? p.locations : 'all';
}

export function canAccessLocation(request: FastifyRequest, locationId: string): boolean {
  const scope = visibleLocations(request);
  return scope === 'all' || scope.includes(locationId);
}

/** Throws Forbidden (403) unless the principal may act on or read every given location. */
export function assertLocationAccess(request: FastifyRequest, ...locationIds: string[]): void {
  for (const id of locationIds) {
    if (!canAccessLocation(request, id)) throw new Forbidden(`no access to location ${id}`);
  }
}

/** The actor recorded in event metadata for this request. */
export function actorOf(request: FastifyRequest): { kind: 'user'; id: string } {
  return { kind: 'user', id: principalOf(request).username };
}

/**
 * Unit costs, stock values, aging values and turnover: every role but staff sees them; a staff
 * member only with the `view_costs` grant (Shopify's "view product costs"). Read routes drop
 * those fields, and turnover answers 403, for a principal that does not.
 */
export function seesCosts(p: Pick<Principal, 'role' | 'permissions'>): boolean {
  switch (p.role) {
    case 'admin':
    case 'manager':
    case 'analyst':
    case 'auditor':
      return true;
    case 'staff':
      return p.permissions?.includes('view_costs') ?? false;
    default: {
      const _exhaustive: never = p.role;
      return _exhaustive;
    }
  }
}

export function canSeeCosts(request: FastifyRequest): boolean {
  return seesCosts(principalOf(request));
}
