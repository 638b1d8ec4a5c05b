/**
 * Opening an embedded SQLite database the way every embedded adapter here needs it:
 * the folder created, WAL (readers never block the writer) and an explicit durability level.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OpenSqliteOptions {
  /**
   * FULL: a committed transaction survives power loss (events, users, POS connections, outbox).
   * NORMAL: in WAL mode the last commits may roll back on power loss, never corrupt: enough for
   * stores that are rebuilt from the log and commit their checkpoint with their data.
   * OFF: only for a throw-away store that is synced explicitly before use (a rebuild target).
   */
  readonly synchronous: 'FULL' | 'NORMAL' | 'OFF';
}

/** `path` is a file (its folder is created) or ':memory:'. */
export function openSqlite(path: string, options: OpenSqliteOptions): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('busy_timeout = 5000');
  return db;
}
