/**
 * PostgreSQL read store (`DATABASE_URL`): a table per collection `c_<name> (id text COLLATE "C"
 * PRIMARY KEY, doc jsonb)`, checkpoints in `read_checkpoints`, published changes in
 * `read_changes` (see `postgres-changes.ts`). Every field an index covers has three typed
 * columns generated from `doc` and stored with the row (postgres-query.ts): indexes and queries
 * read them instead of evaluating jsonb expressions per index. Migration 2 moved to that layout
 * by dropping the collections and checkpoints (the read store is derived: projectors rebuild it).
 *
 * `commit` is ONE transaction: the checkpoint row is locked (`FOR UPDATE`) and compared, the
 * batch is written with one bulk statement per collection (`INSERT ... SELECT FROM
 * jsonb_array_elements ... ON CONFLICT (id) DO UPDATE`, one `DELETE ... = ANY`), the
 * checkpoint moves, and the changes are appended; all of it commits together or not at all.
 * Two processes committing one projection serialize on the checkpoint row. Beyond the port's
 * rule (a position at or before the checkpoint is refused), a commit is also refused when the
 * checkpoint moved since this store last read or wrote it: another process committed in
 * between, so the documents this batch was computed from may be a mix of before and after
 * that commit. The runner then resumes from the stored checkpoint and recomputes. (Found by
 * server/postgres-two-instances.int.spec.ts: two projectors with differently split batches
 * otherwise applied events twice.)
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ignoreCreateRace, migrate, openPostgres, transaction, type Migration, type PostgresHandle } from '../../storage/postgres';
import {
  CheckpointConflictError, FencedOffError, InvalidQueryError,
  type ChangeRecord, type Fence, type Doc, type DocWrite, type IndexSpec, type Query, type ReadStore,
} from './port';
import { assertName, checkQuery } from './query-rules';
import { addColumnsSql, indexColumnsSql, MAX_COLUMN_FIELD, toPgSql, type HasColumns } from './postgres-query';

export const READ_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints and published changes',
    sql: `
CREATE TABLE read_checkpoints (projection text PRIMARY KEY, position numeric(40, 0) NOT NULL);
CREATE TABLE read_changes (
  seq        bigserial      PRIMARY KEY,
  position   numeric(40, 0) NOT NULL,
  projection text           NOT NULL,
  change     jsonb          NOT NULL,
  at         timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX read_changes_position ON read_changes (position);
CREATE INDEX read_changes_at ON read_changes (at);`,
  },
  {
    version: 2,
    name: 'indexed fields as stored generated columns: collections dropped for a rebuild',
    sql: `
DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'c\\_%' LOOP
    EXECUTE format('DROP TABLE %I', t);
  END LOOP;
END $$;
DELETE FROM read_checkpoints;`,
  },
];

/** How long published changes are kept for `watchChanges` readers to resume from. */
export const CHANGES_RETENTION_HOURS = 24;
const PRUNE_EVERY_MS = 3600_000;

/** PostgreSQL identifiers stop at 63 bytes: longer collection names would silently collide. */
const MAX_COLLECTION = 60;
const table = (collection: string): string => `"c_${collection}"`;
const indexName = (spec: IndexSpec): string =>
  `"ix_${spec.collection.slice(0, 40)}_${createHash('sha1').update(spec.fields.join(',')).digest('hex').slice(0, 12)}"`;

const isMissingTable = (error: unknown): boolean => (error as { code?: unknown }).code === '42P01';
const isMissingColumn = (error: unknown): boolean => (error as { code?: unknown }).code === '42703';

export interface PostgresReadStoreOptions {
  readonly url: string;
  /** Default `public`; tests and rebuilds use a schema of their own. */
  readonly schema?: string;
}

export class PostgresReadStore implements ReadStore {
  readonly kind = 'postgres' as const;
  /** Collections whose table is known to exist. */
  private readonly tables = new Set<string>();
  private readonly indexSpecs = new Map<string, IndexSpec[]>();
  /** Per collection: the fields with typed columns in its table, as last read from the catalog. */
  private readonly columns = new Map<string, ReadonlySet<string>>();
  private lastPrune = 0;
  /** Per projection, the checkpoint as this store last read or committed it. */
  private readonly known = new Map<string, bigint>();

  private constructor(private readonly db: PostgresHandle) {}

  static async open(options: PostgresReadStoreOptions): Promise<PostgresReadStore> {
    const db = await openPostgres({ url: options.url, schema: options.schema });
    try {
      await migrate(db.pool, 'readstore', READ_STORE_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw error;
    }
    return new PostgresReadStore(db);
  }

  get pool(): pg.Pool {
    return this.db.pool;
  }

  get url(): string {
    return this.db.url;
  }

  get schema(): string {
    return this.db.schema;
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      assertName('collection', spec.collection);
      spec.fields.forEach((f) => assertName('field', f));
      const known = this.indexSpecs.get(spec.collection) ?? [];
      if (!known.some((k) => k.fields.join() === spec.fields.join())) this.indexSpecs.set(spec.collection, [...known, spec]);
      await this.ensureTable(spec.collection);
      await this.addColumns(spec.collection, spec.fields);
      await this.createIndex(spec);
    }
  }

  async checkpoint(projection: string): Promise<bigint> {
    const { rows } = await this.db.pool.query<{ position: string }>('SELECT position FROM read_checkpoints WHERE projection = $1', [projection]);
    const position = rows[0] ? BigInt(rows[0].position) : 0n;
    this.known.set(projection, position);
    return position;
  }

  async checkpoints(projections: readonly string[]): Promise<ReadonlyMap<string, bigint>> {
    const { rows } = await this.db.pool.query<{ projection: string; position: string }>(
      'SELECT projection, position FROM read_checkpoints WHERE projection = ANY($1::text[])', [projections]);
    const stored = new Map(rows.map((r) => [r.projection, BigInt(r.position)]));
    return new Map(projections.map((p) => [p, stored.get(p) ?? 0n]));
  }

  async commit(projection: string, writes: readonly DocWrite[], position: bigint, changes: readonly ChangeRecord[] = [], fence?: Fence): Promise<void> {
    // Last write per document wins (a put replaces the whole document), so each collection
    // needs one delete and one upsert statement, and no row is touched twice by one statement.
    const last = new Map<string, Map<string, Doc | undefined>>();
    for (const w of writes) {
      checkCollection(w.collection);
      const docs = last.get(w.collection) ?? new Map<string, Doc | undefined>();
      if (w.op === 'put') docs.set(w.doc._id, w.doc);
      else docs.set(w.id, undefined);
      last.set(w.collection, docs);
    }
    const staged = [...last].map(([collection, docs]) => ({
      collection,
      puts: JSON.stringify([...docs.values()].filter((d): d is Doc => d !== undefined)),
      deletes: [...docs].filter(([, d]) => d === undefined).map(([id]) => id),
    }));
    for (const { collection } of staged) await this.ensureTable(collection);
    try {
      await this.commitStaged(projection, staged, position, changes, fence);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      // Another process reset a collection since we cached its table: create it and retry once.
      this.tables.clear();
      for (const { collection } of staged) await this.ensureTable(collection);
      await this.commitStaged(projection, staged, position, changes, fence);
    }
    this.known.set(projection, position);
    if (changes.length > 0 && Date.now() - this.lastPrune > PRUNE_EVERY_MS) void this.pruneChanges();
  }

  private async commitStaged(
    projection: string,
    staged: ReadonlyArray<{ collection: string; puts: string; deletes: string[] }>,
    position: bigint,
    changes: readonly ChangeRecord[],
    fence: Fence | undefined,
  ): Promise<void> {
    await transaction(this.db.pool, async (client) => {
      await client.query('INSERT INTO read_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING', [projection]);
      const { rows } = await client.query<{ position: string }>(
        'SELECT position FROM read_checkpoints WHERE projection = $1 FOR UPDATE', [projection]);
      if (fence) {
        // The lease table of topology/lease/postgres-lease-store.ts, in this schema: checked in
        // this very transaction, so a holder that lost its lease can never commit after it.
        // FOR SHARE: a takeover (which locks the row FOR UPDATE) waits for this commit to end, so
        // no batch under the old token can commit after the new token is visible.
        const present = (await client.query<{ present: boolean }>("SELECT to_regclass('leases') IS NOT NULL AS present")).rows[0]!.present;
        const lease = present ? (await client.query<{ token: string }>('SELECT token FROM leases WHERE name = $1 FOR SHARE', [fence.name])).rows[0] : undefined;
        const token = lease ? BigInt(lease.token) : undefined;
        if (token !== fence.token) throw new FencedOffError(fence, token);
      }
      const current = BigInt(rows[0]!.position);
      const known = this.known.get(projection);
      if (position <= current || (known !== undefined && known !== current)) {
        this.known.set(projection, current);
        throw new CheckpointConflictError(projection, current, position);
      }
      for (const s of staged) {
        if (s.deletes.length > 0) await client.query(`DELETE FROM ${table(s.collection)} WHERE id = ANY($1::text[])`, [s.deletes]);
        if (s.puts !== '[]') {
          await client.query(
            `INSERT INTO ${table(s.collection)} (id, doc) SELECT d->>'_id', d FROM jsonb_array_elements($1::jsonb) AS d
             ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`, [s.puts]);
        }
      }
      await client.query('UPDATE read_checkpoints SET position = $2 WHERE projection = $1', [projection, position.toString(10)]);
      this.known.delete(projection); // unknown until COMMIT returns (a lost answer leaves it unknown)
      if (changes.length > 0) {
        // Changes get their sequence number under a lock, so they become visible in sequence
        // order and a reader of "seq > last" never skips one (same reasoning as the event log).
        await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':read_changes'))");
        await client.query(
          `INSERT INTO read_changes (position, projection, change)
           SELECT (c->>'position')::numeric, $2, c FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(c, o) ORDER BY o`,
          [JSON.stringify(changes), projection]);
        await client.query('SELECT pg_notify(current_schema() || \'_read_changes\', $1)', [changes[changes.length - 1]!.position]);
      }
    });
  }

  /**
   * The changes committed after `cursor` (a `read_changes.seq`; undefined = from now: none, and
   * the current cursor), oldest first, at most `limit`: a pull-based feed for another process's
   * SSE streams (sequence numbers become visible in order, so paging on never skips one).
   */
  async changesAfter(cursor: string | undefined, limit: number): Promise<{ readonly changes: readonly ChangeRecord[]; readonly cursor: string }> {
    if (cursor === undefined) {
      const { rows } = await this.db.pool.query<{ top: string }>('SELECT coalesce(max(seq), 0) AS top FROM read_changes');
      return { changes: [], cursor: rows[0]!.top };
    }
    if (!/^[0-9]{1,19}$/.test(cursor)) throw new RangeError(`not a change cursor: ${cursor}`);
    const { rows } = await this.db.pool.query<{ seq: string; change: ChangeRecord }>(
      'SELECT seq, change FROM read_changes WHERE seq > $1 ORDER BY seq LIMIT $2', [cursor, limit]);
    return { changes: rows.map((r) => r.change), cursor: rows.at(-1)?.seq ?? cursor };
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    checkCollection(collection);
    const rows = await this.rowsOrNone<{ doc: T }>(`SELECT doc FROM ${table(collection)} WHERE id = $1`, [id]);
    return rows[0]?.doc;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    checkCollection(collection);
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    for (const row of await this.rowsOrNone<{ id: string; doc: T }>(`SELECT id, doc FROM ${table(collection)} WHERE id = ANY($1::text[])`, [[...ids]])) {
      found.set(row.id, row.doc);
    }
    return found;
  }

  async find<T extends Doc = Doc>(collection: string, query?: Query): Promise<T[]> {
    checkCollection(collection);
    const checked = checkQuery(query);
    if (checked.limit === 0) return [];
    const limit = checked.limit === undefined ? '' : ` LIMIT ${checked.limit}`;
    const rows = await this.withColumns(collection, (has) => {
      const sql = toPgSql(checked, has);
      return this.rowsOrNone<{ doc: T }>(`SELECT doc FROM ${table(collection)} WHERE ${sql.where} ORDER BY ${sql.orderBy}${limit}`, sql.params);
    });
    return rows.map((r) => r.doc);
  }

  async count(collection: string, query?: Query): Promise<number> {
    checkCollection(collection);
    const checked = checkQuery(query);
    if (checked.limit === 0) return 0;
    const rows = await this.withColumns(collection, (has) => {
      const sql = toPgSql(checked, has);
      const inner = `SELECT 1 FROM ${table(collection)} WHERE ${sql.where}${checked.limit === undefined ? '' : ` LIMIT ${checked.limit}`}`;
      return this.rowsOrNone<{ n: string }>(`SELECT count(*) AS n FROM (${inner}) AS matched`, sql.params);
    });
    return Number(rows[0]?.n ?? 0);
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    collections.forEach(checkCollection);
    await transaction(this.db.pool, async (client) => {
      for (const c of collections) await client.query(`DROP TABLE IF EXISTS ${table(c)}`);
      await client.query('DELETE FROM read_checkpoints WHERE projection = $1', [projection]);
    });
    this.known.set(projection, 0n);
    for (const c of collections) {
      this.tables.delete(c);
      this.columns.delete(c);
    }
  }

  /** The plan PostgreSQL picks (for tests that an index serves a query shape). */
  async explain(collection: string, query?: Query): Promise<string[]> {
    const sql = toPgSql(checkQuery(query), await this.columnsOf(collection));
    const { rows } = await this.db.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT doc FROM ${table(collection)} WHERE ${sql.where} ORDER BY ${sql.orderBy}`, sql.params);
    return rows.map((r) => r['QUERY PLAN']);
  }

  async close(): Promise<void> {
    await this.db.release();
  }

  private async pruneChanges(): Promise<void> {
    this.lastPrune = Date.now();
    await this.db.pool.query(`DELETE FROM read_changes WHERE at < now() - interval '${CHANGES_RETENTION_HOURS} hours'`).catch(() => undefined);
  }

  /** A collection nobody wrote yet has no table: it reads as empty. */
  private async rowsOrNone<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.db.pool.query<R>(sql, params)).rows;
    } catch (error) {
      if (isMissingTable(error)) return [];
      throw error;
    }
  }

  private async ensureTable(collection: string): Promise<void> {
    if (this.tables.has(collection)) return;
    await this.db.pool.query(`CREATE TABLE IF NOT EXISTS ${table(collection)} (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL)`)
      .catch(ignoreCreateRace);
    this.columns.delete(collection);
    const specs = this.indexSpecs.get(collection) ?? [];
    await this.addColumns(collection, specs.flatMap((spec) => spec.fields));
    for (const spec of specs) await this.createIndex(spec);
    this.tables.add(collection);
  }

  /** Gives `fields` their stored generated columns (PostgreSQL fills them for existing rows, once). */
  private async addColumns(collection: string, fields: readonly string[]): Promise<void> {
    const has = await this.columnsOf(collection);
    const missing = [...new Set(fields)].filter((f) => f !== '_id' && f.length <= MAX_COLUMN_FIELD && !has(f));
    if (missing.length === 0) return;
    await this.db.pool.query(`ALTER TABLE ${table(collection)} ${missing.map(addColumnsSql).join(', ')}`)
      .catch((error: unknown) => { if (!isMissingTable(error)) return ignoreCreateRace(error); });
    this.columns.delete(collection);
  }

  /** Which fields of `collection` have their typed columns (read from the catalog once, then cached). */
  private async columnsOf(collection: string): Promise<HasColumns> {
    let fields = this.columns.get(collection);
    if (fields === undefined) {
      const { rows } = await this.db.pool.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [`c_${collection}`]);
      const names = new Set(rows.map((r) => r.name));
      fields = new Set([...names].filter((n) => n.startsWith('r:')).map((n) => n.slice(2))
        .filter((f) => names.has(`n:${f}`) && names.has(`t:${f}`)));
      this.columns.set(collection, fields);
    }
    const known = fields;
    return (field) => known.has(field);
  }

  /**
   * Runs a query built for the columns the table has; another process may have dropped and
   * recreated the table since they were read: then they are read again and the query retried.
   */
  private async withColumns<R>(collection: string, run: (has: HasColumns) => Promise<R>): Promise<R> {
    try {
      return await run(await this.columnsOf(collection));
    } catch (error) {
      if (!isMissingColumn(error)) throw error;
      this.columns.delete(collection);
      return run(await this.columnsOf(collection));
    }
  }

  private async createIndex(spec: IndexSpec): Promise<void> {
    await this.db.pool.query(`CREATE INDEX IF NOT EXISTS ${indexName(spec)} ON ${table(spec.collection)} (${indexColumnsSql(spec.fields)})`)
      .catch(ignoreCreateRace);
  }
}

function checkCollection(collection: string): void {
  assertName('collection', collection);
  if (collection.length > MAX_COLLECTION) throw new InvalidQueryError(`collection name longer than ${MAX_COLLECTION}: ${collection}`);
}
