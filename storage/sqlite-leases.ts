/**
 * The `leases` table, shared by the embedded lease store (topology/lease) and the embedded read
 * store, which lives in the same file so that a projection batch and the check of its lease's
 * fencing token commit in one transaction (docs/topology.md).
 */
import type Database from 'better-sqlite3';

export const LEASES_DDL = `
  CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT    NOT NULL,
    token      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );`;

type TokenStatement = Database.Statement<[string], { token: number | bigint }>;
/** One prepared statement per connection: the check runs in every projector commit (preparing it each time cost ~2 % of the projector). */
const tokenStatements = new WeakMap<Database.Database, TokenStatement>();

/** The token a lease carries now (undefined: never taken). Call inside the caller's transaction. */
export function leaseToken(db: Database.Database, name: string): bigint | undefined {
  let statement = tokenStatements.get(db);
  if (!statement) {
    statement = db.prepare<[string], { token: number | bigint }>('SELECT token FROM leases WHERE name = ?').safeIntegers(true);
    tokenStatements.set(db, statement);
  }
  const row = statement.get(name);
  return row === undefined ? undefined : BigInt(row.token);
}
