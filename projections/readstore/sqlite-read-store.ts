/**
 * Embedded read store: one SQLite file (`${dataDir}/read.sqlite`), WAL, a table per collection
 * `c_<name> (id TEXT PRIMARY KEY, doc TEXT, "r:<field>", "v:<field>", ...)` holding each document
 * as JSON and, for every field an index covers, its type rank and value as typed columns, filled
 * when the document is written (sqlite-query.ts). Indexes are over those columns.
 *
 * The file carries its schema version (`PRAGMA user_version`): a file written by an older
 * layout (documents only, expression indexes) is emptied on open, every collection and
 * checkpoint dropped, and the projectors rebuild it from the log (the read store is derived
 * data; the leases table is kept: its fencing tokens must only grow).
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
  type ChangeRecord, type Fence, type Doc, type DocWrite, type IndexSpec, type ProjectionBatch, type Query, type ReadStore,
} from './port';
import { assertName, checkQuery, typeRank } from './query-rules';
import { columnValue, fieldOfValueColumn, indexColumnsSql, rankColumn, rankExpr, toSql, valueColumn, valueExpr } from './sqlite-query';

/** The layout this code writes: 2 = indexed fields as typed columns (1, unmarked: JSON expressions). */
export const READ_SCHEMA_VERSION = 2;

/** Rows per multi-row upsert statement in a commit: one statement call per 64 documents, not per document. */
const ROWS_PER_INSERT = 64;

/** A table's write path: its typed columns, and upserts of one and of `ROWS_PER_INSERT` rows. */
interface TableWriter {
  readonly fields: readonly string[];
  readonly one: Database.Statement;
  readonly many: Database.Statement;
}

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
  private readonly writers = new Map<string, TableWriter>();
  /** Per collection: the fields that have typed columns in its table (as of `schemaSeen`). */
  private readonly columns = new Map<string, ReadonlySet<string>>();
  /** The schema version (`PRAGMA schema_version`) the caches above were built against. */
  private schemaSeen = -1;
  private readonly stmt;
  /** Bulk loading a fresh store: this connection is its only writer, so `tables` is the whole truth. */
  private readonly soleWriter: boolean;
  /** Collection names already checked by `assertName` (checked once, not per write). */
  private readonly checkedNames = new Set<string>();
  private readonly keepChanges: boolean;
  private commitsSincePrune = 0;
  /** Commits of this connection (`changeMark`: `data_version` does not move with them). */
  private ownCommits = 0;
  /** Collections whose indexes wait for the end of a bulk catch-up (`deferIndexes`). */
  private readonly deferred = new Set<string>();

  constructor(options: SqliteReadStoreOptions) {
    this.soleWriter = options.bulkLoad ?? false;
    this.db = openSqlite(options.path, { synchronous: options.bulkLoad ? 'OFF' : 'NORMAL' });
    if (options.bulkLoad) {
      // A rollback journal in memory instead of the WAL: every page is written once, into the file,
      // instead of into the WAL and again by the final checkpoint (a rollback still works; a crash
      // leaves a store nobody uses). 32 MiB of page cache: the load appends, and a larger cache
      // only added resident memory (docs/read-store.md; 64 MiB until the typed columns made rows
      // wider and the 1M-event rebuild's peak RSS went past 500 MiB).
      this.db.pragma('journal_mode = MEMORY');
      this.db.pragma('cache_size = -32768');
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL)');
    this.keepChanges = options.keepChanges ?? false;
    this.db.exec('CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, change TEXT NOT NULL)');
    this.db.exec(LEASES_DDL);
    this.upgradeLayout();
    if (this.soleWriter) {
      // Tables already in the file are known up front; from here on only this connection creates them.
      for (const name of this.collectionTables()) this.tables.add(name.slice(2));
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
      schemaVersion: this.db.prepare<[], number>('PRAGMA schema_version').pluck(),
      allCheckpoints: this.db.prepare<[], { projection: string; position: string }>('SELECT projection, position FROM checkpoints'),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
  }

  /**
   * A file from an older layout (or a fresh one) is brought to `READ_SCHEMA_VERSION` by dropping
   * what it holds: its documents lack the typed columns, and the projectors rebuild it from their
   * checkpoints, now zero. In one immediate transaction, so two processes opening the same old
   * file drop it once.
   */
  private upgradeLayout(): void {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    if (version() === READ_SCHEMA_VERSION) return;
    this.db.transaction(() => {
      if (version() === READ_SCHEMA_VERSION) return;
      for (const name of this.collectionTables()) this.db.exec(`DROP TABLE "${name.replaceAll('"', '""')}"`);
      this.db.exec('DELETE FROM checkpoints');
      this.db.exec('DELETE FROM changes');
      this.db.pragma(`user_version = ${READ_SCHEMA_VERSION}`);
    }).immediate();
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      this.remember(spec);
      this.ensureTable(spec.collection);
      this.addColumns(spec.collection, spec.fields);
      if (!this.deferred.has(spec.collection)) this.createIndex(spec);
    }
  }

  /**
   * The indexes `ensureIndexes` will build after a bulk load: their fields get typed columns now
   * (tables created with them), so the load fills them and the index builds read plain columns.
   */
  async declareIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      this.remember(spec);
      if (this.hasTable(spec.collection)) this.addColumns(spec.collection, spec.fields);
    }
  }

  /** Checks an index's names and keeps its spec (once) for the tables and columns it needs. */
  private remember(spec: IndexSpec): void {
    assertName('collection', spec.collection);
    spec.fields.forEach((f) => assertName('field', f));
    const known = this.indexSpecs.get(spec.collection) ?? [];
    if (!known.some((k) => k.fields.join() === spec.fields.join())) this.indexSpecs.set(spec.collection, [...known, spec]);
  }

  /** The names of the tables that hold collections (`c_<collection>`). */
  private collectionTables(): string[] {
    return this.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'c\\_%' ESCAPE '\\'").pluck().all();
  }

  /** Builds every index kept for `collection` (each `IF NOT EXISTS`). */
  private createIndexesOf(collection: string): void {
    for (const spec of this.indexSpecs.get(collection) ?? []) this.createIndex(spec);
  }

  async checkpoint(projection: string): Promise<bigint> {
    return this.checkpointSync(projection);
  }

  async commit(projection: string, writes: readonly DocWrite[], position: bigint, changes?: readonly ChangeRecord[], fence?: Fence): Promise<void> {
    this.commitSync([{ projection, writes, position, ...(changes && { changes }) }], fence);
  }

  /** Every batch in one transaction: one BEGIN/COMMIT, one fence check, one WAL write of the checkpoints' page. */
  async commitAll(batches: readonly ProjectionBatch[], fence?: Fence): Promise<void> {
    if (batches.length > 0) this.commitSync(batches, fence);
  }

  async checkpoints(projections: readonly string[]): Promise<ReadonlyMap<string, bigint>> {
    const stored = new Map(this.stmt.allCheckpoints.all().map((r) => [r.projection, r.position]));
    return new Map(projections.map((p) => [p, BigInt(stored.get(p) ?? 0)]));
  }

  /** `data_version` moves with other connections' commits; this connection's own are counted beside it. */
  async changeMark(): Promise<string> {
    return `${this.stmt.dataVersion.get() as number}:${this.ownCommits}`;
  }

  private commitSync(batches: readonly ProjectionBatch[], fence: Fence | undefined): void {
    for (const b of batches) {
      for (const w of b.writes) {
        if (!this.checkedNames.has(w.collection)) {
          assertName('collection', w.collection);
          this.checkedNames.add(w.collection);
        }
      }
    }
    const apply = this.db.transaction(() => {
      if (fence) {
        // The fencing token, read in this very transaction: a holder that lost its lease writes nothing.
        const token = leaseToken(this.db, fence.name);
        if (token !== fence.token) throw new FencedOffError(fence, token);
      }
      this.checkSchema();
      let kept = 0;
      for (const b of batches) kept += this.writeBatch(b);
      if (kept > 0 && (this.commitsSincePrune += 1) >= 100) {
        this.commitsSincePrune = 0;
        this.stmt.pruneChanges.run(CHANGES_KEPT);
      }
    });
    try {
      apply.immediate();
      this.ownCommits += 1;
    } catch (error) {
      // A rolled-back transaction may have undone a CREATE TABLE: forget what we cached.
      this.tables.clear();
      this.forgetStatements();
      throw error;
    }
  }

  /** One projection's batch, inside the caller's transaction; answers how many changes it kept. */
  private writeBatch({ projection, writes, position, changes }: ProjectionBatch): number {
    const current = this.checkpointSync(projection);
    if (position <= current) throw new CheckpointConflictError(projection, current, position);
    // Each document is serialized as it is written, not all staged first (a bulk chunk's JSON
    // would double its memory): one that JSON cannot hold throws, and the transaction rolls back.
    // Puts go out `ROWS_PER_INSERT` at a time (one statement call each); a delete first sends
    // the puts before it, so the writes land in their order.
    let c: string | undefined;
    let writer: TableWriter | undefined;
    const params: unknown[] = [];
    let rows = 0;
    const send = () => {
      if (rows === ROWS_PER_INSERT) writer!.many.run(params);
      else for (let i = 0, w = params.length / rows; i < params.length; i += w) writer!.one.run(params.slice(i, i + w));
      params.length = 0;
      rows = 0;
    };
    for (const w of writes) {
      if (w.collection !== c) {
        if (rows > 0) send();
        c = w.collection;
        this.ensureTable(c);
        writer = this.writer(c);
      }
      if (w.op === 'put') {
        const json = JSON.stringify(w.doc) as string | undefined;
        if (json === undefined) throw new TypeError(`${c}/${w.doc._id} is not a JSON document`);
        params.push(w.doc._id, json);
        for (const f of writer!.fields) {
          const v = (w.doc as Record<string, unknown>)[f];
          params.push(typeRank(v), columnValue(v));
        }
        if ((rows += 1) === ROWS_PER_INSERT) send();
      } else {
        if (rows > 0) send();
        this.prepared(`DELETE FROM ${table(c)} WHERE id = ?`).run(w.id);
      }
    }
    if (rows > 0) send();
    this.stmt.setCheckpoint.run(projection, position.toString(10));
    if (!this.keepChanges || !changes) return 0;
    for (const change of changes) this.stmt.addChange.run(JSON.stringify(change));
    return changes.length;
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
    const sql = toSql(checked, this.hasColumns(collection));
    const limit = checked.limit === undefined ? '' : ' LIMIT ?';
    const rows = this.prepared(`SELECT doc FROM ${table(collection)} WHERE ${sql.where} ORDER BY ${sql.orderBy}${limit}`)
      .all(...sql.params, ...(checked.limit === undefined ? [] : [checked.limit])) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  async count(collection: string, query?: Query): Promise<number> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0 || !this.hasTable(collection)) return 0;
    const sql = toSql(checked, this.hasColumns(collection));
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
    this.forgetStatements();
  }

  /** The query plan SQLite picks (for tests that an index really serves a query shape). */
  explain(collection: string, query?: Query): string[] {
    const sql = toSql(checkQuery(query), this.hasColumns(collection));
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
    if (active) return;
    // The end of a catch-up (or its stop): the deferred indexes are built, once each.
    const deferred = [...this.deferred];
    this.deferred.clear();
    for (const c of deferred) if (this.hasTable(c)) this.createIndexesOf(c);
  }

  /**
   * A bulk catch-up into empty collections: their indexes are dropped and built when it ends
   * (`catchingUp(false)`), once over the loaded rows, instead of maintained through every
   * chunk's commit (a 200,000-event catch-up spent half its CPU in its commits; docs/read-store.md,
   * round six). A crash meanwhile leaves them missing until the next start, whose `ensureIndexes`
   * builds them. Only indexes this connection was asked for are deferred.
   */
  deferIndexes(collections: readonly string[]): void {
    if (this.soleWriter || !this.db.open) return;
    for (const c of collections) {
      assertName('collection', c);
      if (this.hasTable(c) && this.db.prepare(`SELECT 1 FROM ${table(c)} LIMIT 1`).get() !== undefined) continue;
      this.deferred.add(c);
      for (const spec of this.indexSpecs.get(c) ?? []) this.db.exec(`DROP INDEX IF EXISTS ${indexName(spec)}`);
    }
  }

  /** Ends a bulk load: back to `synchronous = NORMAL`, and everything loaded synced into the file. */
  async finishBulkLoad(): Promise<void> {
    // Tables the load created have no indexes (`ensureTable`): build any kept index not built yet
    // (a rebuild calls `ensureIndexes` after its load, which builds them; this catches the rest).
    for (const c of this.indexSpecs.keys()) if (this.hasTable(c)) this.createIndexesOf(c);
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
    // Typed columns without a declared type (no affinity): they hold what the JSON holds.
    const fields = this.declaredFields(collection);
    const typed = fields.map((f) => `, ${rankColumn(f)} INTEGER, ${valueColumn(f)}`).join('');
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table(collection)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL${typed}) WITHOUT ROWID`);
    this.tables.add(collection);
    this.columns.delete(collection); // may have been cached while the table did not exist
    this.writers.delete(collection);
    this.addColumns(collection, fields); // a table that already existed may lack some
    // A bulk load (and a catch-up deferring them) builds its indexes at the end, once, not through every commit.
    if (!this.soleWriter && !this.deferred.has(collection)) this.createIndexesOf(collection);
  }

  /** Fields of `collection` that its declared indexes cover (other than `_id`, which is the key). */
  private declaredFields(collection: string): string[] {
    const fields = new Set<string>();
    for (const spec of this.indexSpecs.get(collection) ?? []) for (const f of spec.fields) if (f !== '_id') fields.add(f);
    return [...fields];
  }

  /**
   * Gives `fields` typed columns in an existing table, filled from the documents it holds (once,
   * when an index on a new field appears); the cached writers then fill them on every write.
   */
  private addColumns(collection: string, fields: readonly string[]): void {
    const has = this.columnsOf(collection);
    const missing = fields.filter((f) => f !== '_id' && !has.has(f));
    if (missing.length === 0) return;
    this.db.transaction(() => {
      for (const f of missing) {
        this.db.exec(`ALTER TABLE ${table(collection)} ADD COLUMN ${rankColumn(f)} INTEGER`);
        this.db.exec(`ALTER TABLE ${table(collection)} ADD COLUMN ${valueColumn(f)}`);
        this.db.exec(`UPDATE ${table(collection)} SET ${rankColumn(f)} = ${rankExpr(f)}, ${valueColumn(f)} = ${valueExpr(f)}`);
      }
    })();
    this.checkSchema();
  }

  /** The fields with typed columns in `collection`'s table (none when it has no table). */
  private columnsOf(collection: string): ReadonlySet<string> {
    let fields = this.columns.get(collection);
    if (fields === undefined) {
      const info = this.db.prepare<[], { name: string }>(`PRAGMA table_info(${table(collection)})`).all();
      fields = new Set(info.map((c) => fieldOfValueColumn(c.name)).filter((f): f is string => f !== undefined));
      this.columns.set(collection, fields);
    }
    return fields;
  }

  /** For queries: which fields of `collection` have columns (another process may have added some). */
  private hasColumns(collection: string): (field: string) => boolean {
    this.checkSchema();
    const fields = this.columnsOf(collection);
    return (field) => fields.has(field);
  }

  /**
   * Another connection (or this one) changed the schema (a table created, dropped or given
   * columns): cached column lists and statements are rebuilt, so a writer always fills every
   * typed column its table has. Checked inside each commit's transaction, where the schema holds.
   */
  private checkSchema(): void {
    const version = this.stmt.schemaVersion.get() as number;
    if (version === this.schemaSeen) return;
    this.schemaSeen = version;
    this.columns.clear();
    this.forgetStatements();
  }

  private forgetStatements(): void {
    this.statements.clear();
    this.byId.clear();
    this.writers.clear();
  }

  /** The upserts of `collection`'s table, filling its typed columns. */
  private writer(collection: string): TableWriter {
    let writer = this.writers.get(collection);
    if (writer === undefined) {
      const fields = [...this.columnsOf(collection)];
      const names = ['id', 'doc', ...fields.flatMap((f) => [rankColumn(f), valueColumn(f)])];
      const row = `(${names.map(() => '?').join(', ')})`;
      const upsert = (rows: number) => this.db.prepare(
        `INSERT INTO ${table(collection)} (${names.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')} ` +
        `ON CONFLICT (id) DO UPDATE SET ${names.slice(1).map((n) => `${n} = excluded.${n}`).join(', ')}`);
      writer = { fields, one: upsert(1), many: upsert(ROWS_PER_INSERT) };
      this.writers.set(collection, writer);
    }
    return writer;
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
