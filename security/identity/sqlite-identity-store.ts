/**
 * Embedded identity store on SQLite (`${dataDir}/identity.sqlite`, or ':memory:' in tests).
 * better-sqlite3 is synchronous; each method is one statement, so there is nothing to
 * interleave and the async signature exists only to match the port.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import { dirname, join } from 'node:path';
import type { Permission, Role } from '../../server/http/access';
import {
  assertKey, IdentityConflict, type ApiTokenRecord, type IdentityStore, type SessionRecord, type UserPatch,
  type UserRecord,
} from './port';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY, role TEXT NOT NULL, locations TEXT NOT NULL,
  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires_at TEXT NOT NULL,
  csrf_token TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(username);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
  username TEXT, role TEXT, locations TEXT, created_at TEXT NOT NULL,
  expires_at TEXT, last_used_at TEXT, revoked_at TEXT
);`;

interface UserRow { username: string; role: string; locations: string; password_hash: string; disabled: number; created_at: string; permissions: string | null }
interface SessionRow { token_hash: string; username: string; expires_at: string; csrf_token: string; created_at: string }
interface TokenRow {
  id: string; name: string; token_hash: string; username: string | null; role: string | null; locations: string | null;
  created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  username: r.username, role: r.role as Role, locations: JSON.parse(r.locations) as string[],
  passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at,
  ...permissionsOf(r.permissions),
});

function permissionsOf(text: string | null): { permissions?: Permission[] } {
  const list = text ? (JSON.parse(text) as Permission[]) : [];
  return list.length ? { permissions: list } : {};
}

const toSession = (r: SessionRow): SessionRecord => ({
  tokenHash: r.token_hash, username: r.username, expiresAt: r.expires_at, csrfToken: r.csrf_token, createdAt: r.created_at,
});

const toToken = (r: TokenRow): ApiTokenRecord => ({
  id: r.id, name: r.name, tokenHash: r.token_hash, createdAt: r.created_at,
  ...(r.username !== null && { username: r.username }),
  ...(r.role !== null && { role: r.role as Role }),
  ...(r.locations !== null && { locations: JSON.parse(r.locations) as string[] }),
  ...(r.expires_at !== null && { expiresAt: r.expires_at }),
  ...(r.last_used_at !== null && { lastUsedAt: r.last_used_at }),
  ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
});

const isUniqueViolation = (e: unknown): boolean =>
  typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('SQLITE_CONSTRAINT');

export class SqliteIdentityStore implements IdentityStore {
  private readonly db: Database.Database;

  /** `path` is a file or ':memory:'. */
  constructor(path: string) {
    this.db = openSqlite(path, { synchronous: 'FULL' });
    this.db.exec(SCHEMA);
    // Stores created before per-user grants existed gain the column (NULL: no grants).
    const columns = this.db.prepare('PRAGMA table_info(users)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'permissions')) this.db.exec('ALTER TABLE users ADD COLUMN permissions TEXT');
  }

  static inDataDir(dataDir: string): SqliteIdentityStore {
    return new SqliteIdentityStore(join(dataDir, 'identity.sqlite'));
  }

  async countUsers(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async createUser(u: UserRecord): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO users (username, role, locations, password_hash, disabled, created_at, permissions) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(u.username, u.role, JSON.stringify(u.locations), u.passwordHash, u.disabled ? 1 : 0, u.createdAt, JSON.stringify(u.permissions ?? []));
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityConflict(`user ${u.username} exists`);
      throw e;
    }
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  async updateUser(username: string, patch: UserPatch): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    const update = this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
      if (!row) return undefined;
      const next: UserRecord = { ...toUser(row), ...patch };
      this.db
        .prepare('UPDATE users SET role = ?, locations = ?, password_hash = ?, disabled = ?, permissions = ? WHERE username = ?')
        .run(next.role, JSON.stringify(next.locations), next.passwordHash, next.disabled ? 1 : 0, JSON.stringify(next.permissions ?? []), username);
      return toUser(this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow);
    });
    return update();
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (token_hash, username, expires_at, csrf_token, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.tokenHash, s.username, s.expiresAt, s.csrfToken, s.createdAt);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const row = this.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
    return row && toSession(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    assertKey(tokenHash, 'tokenHash');
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(username: string): Promise<number> {
    assertKey(username, 'username');
    return this.db.prepare('DELETE FROM sessions WHERE username = ?').run(username).changes;
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString()).changes;
  }

  async createApiToken(t: ApiTokenRecord): Promise<void> {
    try {
      this.db
        .prepare(
          `INSERT INTO api_tokens (id, name, token_hash, username, role, locations, created_at, expires_at, last_used_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          t.id, t.name, t.tokenHash, t.username ?? null, t.role ?? null,
          t.locations ? JSON.stringify(t.locations) : null, t.createdAt, t.expiresAt ?? null,
          t.lastUsedAt ?? null, t.revokedAt ?? null,
        );
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityConflict(`token ${t.id} exists`);
      throw e;
    }
  }

  async findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
    return row && toToken(row);
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | undefined> {
    assertKey(id, 'token id');
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row && toToken(row);
  }

  async listApiTokens(): Promise<ApiTokenRecord[]> {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id').all() as TokenRow[]).map(toToken);
  }

  async revokeApiToken(id: string, at: string): Promise<boolean> {
    assertKey(id, 'token id');
    this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
    return this.db.prepare('SELECT 1 FROM api_tokens WHERE id = ?').get(id) !== undefined;
  }

  async touchApiToken(id: string, at: string): Promise<void> {
    assertKey(id, 'token id');
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
