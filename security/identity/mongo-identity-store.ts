/**
 * MongoDB identity store: collections `users` (_id = username), `sessions` (_id = token
 * hash, TTL index on expiresAt) and `api_tokens` (_id = token id, unique tokenHash).
 * Driver errors are translated here: a duplicate key becomes IdentityConflict.
 * Every filter is built from values checked to be strings (assertKey), so an operator
 * object such as {"$ne": null} can never become part of a query.
 */
import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import type { Permission, Role } from '../../server/http/access';
import {
  assertKey, IdentityConflict, type ApiTokenRecord, type IdentityStore, type SessionRecord, type UserPatch,
  type UserRecord,
} from './port';

interface UserDoc { _id: string; role: string; locations: string[]; passwordHash: string; disabled: boolean; createdAt: string; permissions?: string[] }
interface SessionDoc { _id: string; username: string; expiresAt: Date; csrfToken: string; createdAt: string }
interface TokenDoc {
  _id: string; name: string; tokenHash: string; username?: string; role?: string; locations?: string[];
  createdAt: string; expiresAt?: string; lastUsedAt?: string; revokedAt?: string;
}

const toUser = (d: UserDoc): UserRecord => ({
  username: d._id, role: d.role as Role, locations: d.locations, passwordHash: d.passwordHash,
  disabled: d.disabled, createdAt: d.createdAt,
  ...(d.permissions?.length ? { permissions: d.permissions as Permission[] } : {}),
});

const toSession = (d: SessionDoc): SessionRecord => ({
  tokenHash: d._id, username: d.username, expiresAt: d.expiresAt.toISOString(), csrfToken: d.csrfToken, createdAt: d.createdAt,
});

const toToken = (d: TokenDoc): ApiTokenRecord => ({
  id: d._id, name: d.name, tokenHash: d.tokenHash, createdAt: d.createdAt,
  ...(d.username !== undefined && { username: d.username }),
  ...(d.role !== undefined && { role: d.role as Role }),
  ...(d.locations !== undefined && { locations: d.locations }),
  ...(d.expiresAt !== undefined && { expiresAt: d.expiresAt }),
  ...(d.lastUsedAt !== undefined && { lastUsedAt: d.lastUsedAt }),
  ...(d.revokedAt !== undefined && { revokedAt: d.revokedAt }),
});

const isDuplicateKey = (e: unknown): boolean => e instanceof MongoServerError && e.code === 11000;

export class MongoIdentityStore implements IdentityStore {
  private constructor(
    private readonly client: MongoClient | undefined,
    private readonly users: Collection<UserDoc>,
    private readonly sessions: Collection<SessionDoc>,
    private readonly tokens: Collection<TokenDoc>,
  ) {}

  /** Connects to `uri` (database from the URI unless `dbName` is given) and creates the indexes. */
  static async connect(uri: string, dbName?: string): Promise<MongoIdentityStore> {
    const client = new MongoClient(uri);
    await client.connect();
    return MongoIdentityStore.open(client.db(dbName), client);
  }

  /** Uses an existing database handle; `owner` is closed by close() when given. */
  static async open(db: Db, owner?: MongoClient): Promise<MongoIdentityStore> {
    const store = new MongoIdentityStore(
      owner, db.collection<UserDoc>('users'), db.collection<SessionDoc>('sessions'), db.collection<TokenDoc>('api_tokens'),
    );
    await Promise.all([
      store.sessions.createIndex({ username: 1 }),
      // MongoDB removes expired sessions by itself; authentication still checks expiresAt.
      store.sessions.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }),
      store.tokens.createIndex({ tokenHash: 1 }, { unique: true }),
    ]);
    return store;
  }

  async countUsers(): Promise<number> {
    return this.users.countDocuments();
  }

  async createUser(u: UserRecord): Promise<void> {
    assertKey(u.username, 'username');
    try {
      await this.users.insertOne({
        _id: u.username, role: u.role, locations: [...u.locations], passwordHash: u.passwordHash,
        disabled: u.disabled, createdAt: u.createdAt, ...(u.permissions?.length ? { permissions: [...u.permissions] } : {}),
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw new IdentityConflict(`user ${u.username} exists`);
      throw e;
    }
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    const doc = await this.users.findOne({ _id: username });
    return doc ? toUser(doc) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.users.find().sort({ _id: 1 }).toArray()).map(toUser);
  }

  async updateUser(username: string, patch: UserPatch): Promise<UserRecord | undefined> {
    assertKey(username, 'username');
    const set: Partial<UserDoc> = {};
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.locations !== undefined) set.locations = [...patch.locations];
    if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    if (patch.permissions !== undefined) set.permissions = [...patch.permissions];
    const doc = Object.keys(set).length === 0
      ? await this.users.findOne({ _id: username })
      : await this.users.findOneAndUpdate({ _id: username }, { $set: set }, { returnDocument: 'after' });
    return doc ? toUser(doc) : undefined;
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.sessions.insertOne({
      _id: s.tokenHash, username: s.username, expiresAt: new Date(s.expiresAt), csrfToken: s.csrfToken, createdAt: s.createdAt,
    });
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const doc = await this.sessions.findOne({ _id: tokenHash });
    return doc ? toSession(doc) : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    assertKey(tokenHash, 'tokenHash');
    await this.sessions.deleteOne({ _id: tokenHash });
  }

  async deleteSessionsOf(username: string): Promise<number> {
    assertKey(username, 'username');
    return (await this.sessions.deleteMany({ username })).deletedCount;
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return (await this.sessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  async createApiToken(t: ApiTokenRecord): Promise<void> {
    assertKey(t.id, 'token id');
    const doc: TokenDoc = {
      _id: t.id, name: t.name, tokenHash: t.tokenHash, createdAt: t.createdAt,
      ...(t.username !== undefined && { username: t.username }),
      ...(t.role !== undefined && { role: t.role }),
      ...(t.locations !== undefined && { locations: [...t.locations] }),
      ...(t.expiresAt !== undefined && { expiresAt: t.expiresAt }),
      ...(t.lastUsedAt !== undefined && { lastUsedAt: t.lastUsedAt }),
      ...(t.revokedAt !== undefined && { revokedAt: t.revokedAt }),
    };
    try {
      await this.tokens.insertOne(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new IdentityConflict(`token ${t.id} exists`);
      throw e;
    }
  }

  async findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    assertKey(tokenHash, 'tokenHash');
    const doc = await this.tokens.findOne({ tokenHash });
    return doc ? toToken(doc) : undefined;
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | undefined> {
    assertKey(id, 'token id');
    const doc = await this.tokens.findOne({ _id: id });
    return doc ? toToken(doc) : undefined;
  }

  async listApiTokens(): Promise<ApiTokenRecord[]> {
    return (await this.tokens.find().sort({ createdAt: 1, _id: 1 }).toArray()).map(toToken);
  }

  async revokeApiToken(id: string, at: string): Promise<boolean> {
    assertKey(id, 'token id');
    await this.tokens.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
    return (await this.tokens.countDocuments({ _id: id }, { limit: 1 })) > 0;
  }

  async touchApiToken(id: string, at: string): Promise<void> {
    assertKey(id, 'token id');
    await this.tokens.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
