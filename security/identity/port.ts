/**
 * The identity store port: users, login sessions and API tokens. Only hashes of secrets
 * are stored (argon2id for passwords, sha256 for random tokens). Adapters: SQLite
 * (embedded) and MongoDB; both pass `identity-store.contract.ts`.
 */
import type { Permission, Role } from '../../server/http/access';

export interface UserRecord {
  readonly username: string;
  readonly role: Role;
  readonly locations: readonly string[];
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Grants beyond the role; absent or empty: none. */
  readonly permissions?: readonly Permission[];
}

export interface SessionRecord {
  /** sha256 (hex) of the session token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly username: string;
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly csrfToken: string;
  readonly createdAt: string;
}

/** An API token acts either as a user (`username`) or as a role with locations. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly username?: string;
  readonly role?: Role;
  readonly locations?: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly lastUsedAt?: string;
  readonly revokedAt?: string;
}

export type UserPatch = Partial<Pick<UserRecord, 'role' | 'locations' | 'passwordHash' | 'disabled' | 'permissions'>>;

/** A user or token id that already exists. Translated to 409 at the edge. */
export class IdentityConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityConflict';
  }
}

export interface IdentityStore {
  countUsers(): Promise<number>;
  /** Throws IdentityConflict when the username is taken. */
  createUser(user: UserRecord): Promise<void>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** Ordered by username. */
  listUsers(): Promise<UserRecord[]>;
  /** The updated user, or undefined when there is no such user. */
  updateUser(username: string, patch: UserPatch): Promise<UserRecord | undefined>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Revokes every session of a user; answers how many were removed. */
  deleteSessionsOf(username: string): Promise<number>;
  /** Removes sessions whose expiresAt is at or before `now`. */
  deleteExpiredSessions(now: Date): Promise<number>;

  /** Throws IdentityConflict when the id or the token hash exists. */
  createApiToken(token: ApiTokenRecord): Promise<void>;
  findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  getApiToken(id: string): Promise<ApiTokenRecord | undefined>;
  /** Ordered by creation time, then id. */
  listApiTokens(): Promise<ApiTokenRecord[]>;
  /** Sets revokedAt once (a second revoke keeps the first time); false when unknown. */
  revokeApiToken(id: string, at: string): Promise<boolean>;
  touchApiToken(id: string, at: string): Promise<void>;

  close(): Promise<void>;
}

/** Adapters refuse non-string keys outright: a query operator object can never reach a driver. */
export function assertKey(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
}
