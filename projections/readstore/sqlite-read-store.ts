/**
 * Embedded read store: one SQLite file (`${dataDir}/read.sqlite`), WAL, a table per collection
 * `c_<name> (id TEXT PRIMARY KEY, doc TEXT)` holding each document as JSON.
 *
 * `commit` writes the documents and the checkpoint in ONE transaction: after a crash the
 * store holds either the whole batch and its checkpoint or neither, so a restart from the
 * checkpoint never skips nor double-applies. `synchronous = NORMAL`: a process crash loses
 * nothing committed; a power loss may lose the last batches, and their checkpoint with them,
 * so they are simply projected again from the (fully durable) event log.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../storage/sqlite';
import { LEASES_DDL, leaseToken } from '../../storage/sqlite-leases';
import {
  CheckpointConflictError, FencedOffError,
  type ChangeRecord, type Fence, type Doc, type DocWrite, type IndexSpec, type Query, type ReadStore,
} from './port';
import { assertName, checkQuery } from './query-rules';
import { indexColumnsSql, toSql } from './sqlite-query';

export interface SqliteReadStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly path: string;
  /**
   * A fresh store being bulk loaded (a rebuild): `synchronous = OFF` and a larger page cache
   * until `finishBulkLoad()`, which restores `NORMAL` and checkpoints the WAL into the file
   * with a full sync. A crash before that leaves a store nobody uses (it is thrown away and
   * rebuilt), never the live one. Default false.
   */
  readonly bulkLoad?: boolean;
  /**
   * Keep each batch's changes in a `changes` table, in the batch's transaction, so an API in
   * another thread or process can feed SSE from them (`changesAfter`). On when the roles run
   * apart (topology/); off for one process, where the runner's `changes$` is enough.
   */
  readonly keepChanges?: boolean;
}

/** Changes kept for other processes: older ones are pruned (a reader that far behind replays from documents). */
const CHANGES_KEPT = 50_000;

const table = (collection: string): string => `"c_${collection}"`;
const indexName = (spec: IndexSpec): string => `"ix_${spec.collection}__${spec.fields.join('__')}"`;

export class SqliteReadStore implements ReadStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  /** Collections whose table is known to exist. */
  private readonly tables = new Set<string>();
  /** Index specs seen, so a table dropped by `reset` gets its indexes back when recreated. */
  private readonly indexSpecs = new Map<string, IndexSpec[]>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly byId = new Map<string, Database.Statement<[string], { doc: string }>>();
  private readonly upserts = new Map<string, Database.Statement<[string, string]>>();
  private readonly stmt;
  /** Bulk loading a fresh store: this connection is its only writer, so `tables` is the whole truth. */
  private readonly soleWriter: boolean;
  /** Collection names already checked by `assertName` (checked once, not per write). */
  private readonly checkedNames = new Set<string>();
  private readonly keepChanges: boolean;
  private commitsSincePrune = 0;

  constructor(options: SqliteReadStoreOptions) {
    this.soleWriter = options.bulkLoad ?? false;
    this.db = openSqlite(options.path, { synchronous: options.bulkLoad ? 'OFF' : 'NORMAL' });
    if (options.bulkLoad) {
      // A rollback journal in memory instead of the WAL: every page is written once, into the file,
      // instead of into the WAL and again by the final checkpoint (a rollback still works; a crash
      // leaves a store nobody uses). 64 MiB of page cache: the load appends, and a larger cache
      // only added resident memory (docs/read-store.md).
      this.db.pragma('journal_mode = MEMORY');
      this.db.pragma('cache_size = -65536');
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL)');
    this.keepChanges = options.keepChanges ?? false;
    this.db.exec('CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, change TEXT NOT NULL)');
    this.db.exec(LEASES_DDL);
    if (this.soleWriter) {
      // Tables already in the file are known up front; from here on only this connection creates them.
      const existing = this.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'c\\_%' ESCAPE '\\'").all();
      for (const { name } of existing) this.tables.add(name.slice(2));
    }
    this.stmt = {
      tableExists: this.db.prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"),
      checkpoint: this.db.prepare<[string], { position: string }>('SELECT position FROM checkpoints WHERE projection = ?'),
      setCheckpoint: this.db.prepare<[string, string]>(
        'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position'),
      dropCheckpoint: this.db.prepare<[string]>('DELETE FROM checkpoints WHERE projection = ?'),
      addChange: this.db.prepare<[string]>('INSERT INTO changes (change) VALUES (?)'),
      pruneChanges: this.db.prepare<[number]>('DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?'),
      changesAfter: this.db.prepare<[number, number], { seq: number; change: string }>('SELECT seq, change FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
      lastChange: this.db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM changes'),
    };
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      assertName('collection', spec.collection);
      spec.fields.forEach((f) => assertName('field', f));
      const known = this.indexSpecs.get(spec.collection) ?? [];
      if (!known.some((k) => k.fields.join() === spec.fields.join())) this.indexSpecs.set(spec.collection, [...known, spec]);
      this.ensureTable(spec.collection);
      this.createIndex(spec);
    }
  }

  async checkpoint(projection: string): Promise<bigint> {
    return this.checkpointSync(projection);
  }

  async commit(projection: string, writes: readonly DocWrite[], position: bigint, changes?: readonly ChangeRecord[], fence?: Fence): Promise<void> {
    for (const w of writes) {
      if (!this.checkedNames.has(w.collection)) {
        assertName('collection', w.collection);
        this.checkedNames.add(w.collection);
      }
    }
    const changeJson = this.keepChanges && changes ? changes.map((c) => JSON.stringify(c)) : [];
    const apply = this.db.transaction(() => {
      if (fence) {
        // The fencing token, read in this very transaction: a holder that lost its lease writes nothing.
        const token = leaseToken(this.db, fence.name);
        if (token !== fence.token) throw new FencedOffError(fence, token);
      }
      const current = this.checkpointSync(projection);
      if (position <= current) throw new CheckpointConflictError(projection, current, position);
      // Each document is serialized as it is written, not all staged first (a bulk chunk's JSON
      // would double its memory): one that JSON cannot hold throws, and the transaction rolls back.
      let c: string | undefined;
      let upsert: Database.Statement<[string, string]> | undefined;
      for (const w of writes) {
        if (w.collection !== c) {
          c = w.collection;
          this.ensureTable(c);
          upsert = this.upserts.get(c);
          if (!upsert) {
            upsert = this.db.prepare(`INSERT INTO ${table(c)} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`);
            this.upserts.set(c, upsert);
          }
        }
        if (w.op === 'put') {
          const json = JSON.stringify(w.doc) as string | undefined;
          if (json === undefined) throw new TypeError(`${c}/${w.doc._id} is not a JSON document`);
          upsert!.run(w.doc._id, json);
        } else {
          this.prepared(`DELETE FROM ${table(c)} WHERE id = ?`).run(w.id);
        }
      }
      this.stmt.setCheckpoint.run(projection, position.toString(10));
      for (const json of changeJson) this.stmt.addChange.run(json);
      if (changeJson.length > 0 && (this.commitsSincePrune += 1) >= 100) {
        this.commitsSincePrune = 0;
        this.stmt.pruneChanges.run(CHANGES_KEPT);
      }
    });
    try {
      apply.immediate();
    } catch (error) {
      // A rolled-back transaction may have undone a CREATE TABLE: forget what we cached.
      this.tables.clear();
      this.statements.clear();
      this.byId.clear();
      this.upserts.clear();
      throw error;
    }
  }

  async changesAfter(cursor: string | undefined, limit: number): Promise<{ changes: ChangeRecord[]; cursor: string }> {
    if (cursor === undefined) return { changes: [], cursor: String(this.stmt.lastChange.get()?.seq ?? 0) };
    const rows = this.stmt.changesAfter.all(Number(cursor), limit);
    return { changes: rows.map((r) => JSON.parse(r.change) as ChangeRecord), cursor: rows.length > 0 ? String(rows.at(-1)!.seq) : cursor };
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    // The hot path of every projector: one cached statement per collection, no SQL text built.
    let byId = this.byId.get(collection);
    if (byId === undefined) {
      assertName('collection', collection);
      if (!this.hasTable(collection)) return undefined;
      byId = this.db.prepare<[string], { doc: string }>(`SELECT doc FROM ${table(collection)} WHERE id = ?`);
      this.byId.set(collection, byId);
    }
    const row = byId.get(id);
    return row === undefined ? undefined : (JSON.parse(row.doc) as T);
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    assertName('collection', collection);
    const found = new Map<string, T>();
    if (ids.length === 0 || !this.hasTable(collection)) return found;
    const rows = this.prepared(`SELECT id, doc FROM ${table(collection)} WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as Array<{ id: string; doc: string }>;
    for (const row of rows) found.set(row.id, JSON.parse(row.doc) as T);
    return found;
  }

  async find<T extends Doc = Doc>(collection: string, query?: Query): Promise<T[]> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0 || !this.hasTable(collection)) return [];
    const sql = toSql(checked);
    const limit = checked.limit === undefined ? '' : ' LIMIT ?';
    const rows = this.prepared(`SELECT doc FROM ${table(collection)} WHERE ${sql.where} ORDER BY ${sql.orderBy}${limit}`)
      .all(...sql.params, ...(checked.limit === undefined ? [] : [checked.limit])) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  async count(collection: string, query?: Query): Promise<number> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0 || !this.hasTable(collection)) return 0;
    const sql = toSql(checked);
    const row = this.prepared(`SELECT count(*) AS n FROM ${table(collection)} WHERE ${sql.where}`).get(...sql.params) as { n: number };
    return checked.limit === undefined ? row.n : Math.min(row.n, checked.limit);
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    collections.forEach((c) => assertName('collection', c));
    this.db.transaction(() => {
      for (const c of collections) {
        this.db.exec(`DROP TABLE IF EXISTS ${table(c)}`);
        this.tables.delete(c);
      }
      this.stmt.dropCheckpoint.run(projection);
    })();
    // Statements on dropped tables must not be reused.
    this.statements.clear();
    this.byId.clear();
    this.upserts.clear();
  }

  /** The query plan SQLite picks (for tests that an index really serves a query shape). */
  explain(collection: string, query?: Query): string[] {
    const sql = toSql(checkQuery(query));
    return (this.db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM ${table(collection)} WHERE ${sql.where} ORDER BY ${sql.orderBy}`)
      .all(...sql.params) as Array<{ detail: string }>).map((r) => r.detail);
  }

  /**
   * The live store during a bulk catch-up: every chunk's commit maintains each index of tables
   * that grow to millions of rows, and the default 2 MiB cache made that a page miss per insert
   * (catch-up of 200,000 events: 3,700-3,900 -> 4,700-5,300 events/s with 64 MiB, same run).
   */
  catchingUp(active: boolean): void {
    if (this.soleWriter || !this.db.open) return; // a bulk load has its own settings
    this.db.pragma(active ? 'cache_size = -65536' : 'cache_size = -2000');
  }

  /** Ends a bulk load: back to `synchronous = NORMAL`, and everything loaded synced into the file. */
  async finishBulkLoad(): Promise<void> {
    this.db.pragma('synchronous = FULL');
    // Back to the WAL: the switch is a write of the header, committed with a full sync of the file.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -2000');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private checkpointSync(projection: string): bigint {
    const row = this.stmt.checkpoint.get(projection);
    return row === undefined ? 0n : BigInt(row.position);
  }

  /** Tables may be created by another process (the projector) after this one opened the file. */
  private hasTable(collection: string): boolean {
    if (this.tables.has(collection)) return true;
    if (this.soleWriter) return false; // no table lookup per miss while loading
    if (this.stmt.tableExists.get(`c_${collection}`) === undefined) return false;
    this.tables.add(collection);
    return true;
  }

  private ensureTable(collection: string): void {
    if (this.tables.has(collection)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table(collection)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID`);
    this.tables.add(collection);
    for (const spec of this.indexSpecs.get(collection) ?? []) this.createIndex(spec);
  }

  private createIndex(spec: IndexSpec): void {
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${indexName(spec)} ON ${table(spec.collection)} (${indexColumnsSql(spec.fields)})`);
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
