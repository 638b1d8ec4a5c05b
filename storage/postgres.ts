/**
 * PostgreSQL the way every `postgres-*.ts` adapter needs it (driver: node-postgres `pg`, see
 * docs/postgres.md for why): one pool per (URL, schema) per process, shared by the stores and
 * released when the last one closes; migrations per component, recorded in a version table.
 *
 * Migrations: each adapter declares its own ordered list under a component name
 * (`eventstore`, `readstore`, `identity`, `pos`, `outbound`, ...). `migrate` applies the ones
 * not yet recorded in `schema_versions (component, version)`, each in its own transaction,
 * under a transaction-scoped advisory lock, so several processes starting at once apply each
 * migration exactly once. A new PostgreSQL adapter (the POS inbox, the topology lease) adds a
 * component with its own list: no shared file to edit, no version numbers to agree on.
 */
import pg from 'pg';

export interface Migration {
  /** 1, 2, 3, ... within the component; never renumber or edit an applied one, add the next. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface PostgresOptions {
  /** `DATABASE_URL`, e.g. `postgres://stocktide@127.0.0.1:5432/stocktide`. */
  readonly url: string;
  /**
   * The schema every table lives in (created when missing). Default `public`. Tests use a fresh
   * schema per store so that each starts empty.
   */
  readonly schema?: string;
}

export interface PostgresHandle {
  readonly pool: pg.Pool;
  readonly url: string;
  readonly schema: string;
  /** Gives the pool back; the last release ends it. */
  release(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface Shared {
  pool: pg.Pool;
  users: number;
  ready: Promise<void>;
}
const pools = new Map<string, Shared>();

/** Pool size per process: enough for the projectors, the sender and concurrent requests. */
const POOL_MAX = 10;

/** A shared pool for `url` + `schema`; the schema exists and is the connections' search_path. */
export async function openPostgres(options: PostgresOptions): Promise<PostgresHandle> {
  const { url, schema: fromUrl } = splitSchema(options.url);
  const schema = options.schema ?? fromUrl ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`not a schema name: ${schema}`);
  const key = `${url}#${schema}`;
  let shared = pools.get(key);
  if (!shared) {
    const pool = new pg.Pool({
      connectionString: url,
      max: POOL_MAX,
      // The schema is the search path of every connection, so SQL never names it.
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: 5000,
      application_name: 'stocktide',
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool forgets it and the next query connects afresh.
    pool.on('error', () => undefined);
    // ...and one dropped between its hand-over and its holder's first statement must not either:
    // pg-pool removes its idle listener when it hands a connection out, and a server's FATAL
    // (57P01 on shutdown) read in the same chunk as the previous query's ReadyForQuery is
    // emitted before the new holder can listen. Every connection keeps this listener for life;
    // its queries still fail, and the pool drops it on release (it is no longer queryable).
    pool.on('connect', (client) => client.on('error', () => undefined));
    const created: Shared = {
      pool,
      users: 0,
      ready: schema === 'public' ? Promise.resolve() : pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined),
    };
    pools.set(key, created);
    shared = created;
  }
  shared.users += 1;
  const entry = shared;
  try {
    await entry.ready;
  } catch (error) {
    // A failed first contact is not cached: the next open tries again.
    if (pools.get(key) === entry) pools.delete(key);
    entry.users -= 1;
    if (entry.users === 0) await entry.pool.end().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    pool: entry.pool,
    url,
    schema,
    async release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      if (pools.get(key) === entry) pools.delete(key);
      await entry.pool.end();
    },
  };
}

/**
 * `DATABASE_URL` may name the schema as `?schema=name` (as Prisma does): several deployments or
 * test runs can share one database. The parameter is removed before the driver sees the URL.
 */
export function splitSchema(databaseUrl: string): { url: string; schema?: string } {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    return { url: databaseUrl };
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { url: databaseUrl };
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

/** Applies `component`'s migrations that are not recorded yet (see the module comment). */
export async function migrate(pool: pg.Pool, component: string, migrations: readonly Migration[]): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_versions (
    component text NOT NULL, version integer NOT NULL, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))`).catch(ignoreCreateRace);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${component} migrations must be numbered 1, 2, 3, ...; found ${m.version} at ${i + 1}`);
  });
  const applied = await pool.query<{ version: number }>('SELECT version FROM schema_versions WHERE component = $1', [component]);
  const done = new Set(applied.rows.map((r) => r.version));
  for (const m of sorted) {
    if (done.has(m.version)) continue;
    await transaction(pool, async (client) => {
      // Serializes migrators of this schema across processes; the re-check sees the winner's row.
      await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':migrate'))");
      const again = await client.query('SELECT 1 FROM schema_versions WHERE component = $1 AND version = $2', [component, m.version]);
      if (again.rowCount) return;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_versions (component, version, name) VALUES ($1, $2, $3)', [component, m.version, m.name]);
    });
  }
}

/** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A checked-out connection that the server drops between two statements emits 'error' on
  // the client (the pool listens only while it is idle): the failing query reports it instead.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself is gone: do not give it back to the pool
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ? true : undefined);
  }
}

/** Two processes creating one table at once: the loser's duplicate is not an error. */
export function ignoreCreateRace(error: unknown): void {
  const code = (error as { code?: string }).code;
  if (code === '23505' || code === '42P07' || code === '42710') return;
  throw error;
}

/**
 * Errors that mean "the database is not reachable right now" (restart, failover, network):
 * the request may be retried later. Answered as 503 with Retry-After at the HTTP edge.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Class 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
  }
  return typeof message === 'string'
    && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** Quotes an identifier we built ourselves from checked names (letters, digits, underscore). */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
