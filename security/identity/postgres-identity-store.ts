/**
 * Identity store on PostgreSQL (`DATABASE_URL`): users, login sessions and API tokens, the
 * same tables as the embedded store. Each method is one statement (an update is one
 * `UPDATE ... RETURNING`), so several API processes can share it.
 */
import type { Permission, Role } from '../../server/http/access';
import { migrate, openPostgres, type Migration, type PostgresHandle } from '../../storage/postgres';
import {
  assertKey, IdentityConflict, type ApiTokenRecord, type IdentityStore, type SessionRecord, type UserPatch,
  type UserRecord,
} from './port';

export const IDENTITY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, api tokens',
    sql: `
CREATE TABLE users (
  username text COLLATE "C" PRIMARY KEY, role text NOT NULL, locations jsonb NOT NULL,
  password_hash text NOT NULL, disabled boolean NOT NULL, created_at text NOT NULL
);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY, username text NOT NULL, expires_at text NOT NULL,
  csrf_token text NOT NULL, created_at text NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (username);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE TABLE api_tokens (
  id text COLLATE "C" PRIMARY KEY, name text NOT NULL, token_hash text NOT NULL UNIQUE,
  username text, role text, locations jsonb, created_at text COLLATE "C" NOT NULL,
  expires_at text, last_used_at text, revoked_at text
);`,
  },
  {
    version: 2,
    name: 'per-user permissions (view_costs)',
    sql: `ALTER TABLE users ADD COLUMN permissions jsonb NOT NULL DEFAULT '[]'::jsonb;`,
  },
];

interface UserRow { username: string; role: string; locations: string[]; password_hash: string; disabled: boolean; created_at: string; permissions: Permission[] | null }
interface SessionRow { token_hash: string; username: string; expires_at: string; csrf_token: string; created_at: string }
interface TokenRow {
  id: string; name: string; token_hash: string; username: string | null; role: string | null; locations: string[] | null;
  created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  username: r.username, role: r.role as Role, locations: r.locations,
  passwordHash: r.password_hash, disabled: r.disabled, createdAt: r.created_at,
  ...(r.permissions && r.permissions.length > 0 && { permissions: r.permissions }),
});

const toSession = (r: SessionRow): SessionRecord => ({
  tokenHash: r.token_hash, username: r.username, expiresAt: r.expires_at, csrfToken: r.csrf_token, createdAt: r.created_at,
});

const toToken = (r: TokenRow): ApiTokenRecord => ({
  id: r.id, name: r.name, tokenHash: r.token_hash, createdAt: r.created_at,
  ...(r.username !== null && { username: r.username }),
  ...(r.role !== null && { role: r.role as Role }),
  ...(r.locations !== null && { locations: r.locations }),
  ...(r.expires_at !== null && { expiresAt: r.expires_at }),
  ...(r.last_used_at !== null && { lastUsedAt: r.last_used_at }),
  ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
});

const isUniqueViolation = (e: unknown): boolean => (e as { code?: unknown }).code === '23505';

export class PostgresIdentityStore implements IdentityStore {
  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: { url: string; schema?: string }): Promise<PostgresIdentityStore> {
    const db = await openPostgres(options);
    try {
      await migrate(db.pool, 'identity', IDENTITY_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresIdentityStore(db);
  }

  private async rows<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.pool.query(sql, params)).rows as R[];
  }

  private async changes(sql: string, params: unknown[]): Promise<number> {
    return (await this.db.pool.query(sql, params)).rowCount ?? 0;
  }

  async countUsers(): Promise<number> {
    return Number((await this.rows<{ n: string }>('SELECT count(*) AS n FROM users'))[0]!.n);
  }

  async createUser(u: UserRecord): Promise<void> {
    try {
      await this.db.pool.query(
        'INSERT INTO users (username, role, locations, password_hash, disabled, created_at, permissions) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::jsonb)',
        [u.username, u.role, JSON.stringify(u.locations), u.passwordHash, u.disabled, u.createdAt, JSON.stringify(u.permissions ?? [])]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityConflict(`user ${u.username} exists`);
      throw e;
    }
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
    return row && toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.rows<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }

  async updateUser(username: string, patch: UserPatch): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    // One statement: absent fields keep their value (COALESCE with a NULL parameter).
    const [row] = await this.rows<UserRow>(
      `UPDATE users SET role = COALESCE($2, role), locations = COALESCE($3::jsonb, locations),
         password_hash = COALESCE($4, password_hash), disabled = COALESCE($5, disabled),
         permissions = COALESCE($6::jsonb, permissions)
       WHERE username = $1 RETURNING *`,
      [username, patch.role ?? null, patch.locations ? JSON.stringify(patch.locations) : null, patch.passwordHash ?? null, patch.disabled ?? null,
        patch.permissions ? JSON.stringify(patch.permissions) : null]);
    return row && toUser(row);
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.db.pool.query(
      'INSERT INTO sessions (token_hash, username, expires_at, csrf_token, created_at) VALUES ($1, $2, $3, $4, $5)',
      [s.tokenHash, s.username, s.expiresAt, s.csrfToken, s.createdAt]);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const [row] = await this.rows<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    return row && toSession(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    assertKey(tokenHash, 'tokenHash');
    await this.db.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteSessionsOf(username: string): Promise<number> {
    assertKey(username, 'username');
    return this.changes('DELETE FROM sessions WHERE username = $1', [username]);
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.changes('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
  }

  async createApiToken(t: ApiTokenRecord): Promise<void> {
    try {
      await this.db.pool.query(
        `INSERT INTO api_tokens (id, name, token_hash, username, role, locations, created_at, expires_at, last_used_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
        [t.id, t.name, t.tokenHash, t.username ?? null, t.role ?? null, t.locations ? JSON.stringify(t.locations) : null,
          t.createdAt, t.expiresAt ?? null, t.lastUsedAt ?? null, t.revokedAt ?? null]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityConflict(`token ${t.id} exists`);
      throw e;
    }
  }

  async findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const [row] = await this.rows<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
    return row && toToken(row);
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | undefined> {
    assertKey(id, 'token id');
    const [row] = await this.rows<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
    return row && toToken(row);
  }

  async listApiTokens(): Promise<ApiTokenRecord[]> {
    return (await this.rows<TokenRow>('SELECT * FROM api_tokens ORDER BY created_at, id')).map(toToken);
  }

  async revokeApiToken(id: string, at: string): Promise<boolean> {
    assertKey(id, 'token id');
    const [row] = await this.rows<{ id: string }>(
      'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id', [id, at]);
    return row !== undefined;
  }

  async touchApiToken(id: string, at: string): Promise<void> {
    assertKey(id, 'token id');
    await this.db.pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
