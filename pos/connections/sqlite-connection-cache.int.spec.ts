/**
 * The embedded connection store's cache: a change through the store itself is read back at once;
 * a change through another connection to the file (another api process, the outbound worker) is
 * read back once `recheckMs` has passed (PRAGMA data_version moved).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PosConnection } from './connection-store';
import { SqliteConnectionStore } from './sqlite-connection-store';

const connection = (secret: string, extra: Partial<PosConnection> = {}): PosConnection => ({
  id: 'c1', kind: 'generic', secret, locationMap: { till: 'store-1' }, skuMap: {},
  disabled: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...extra,
});

describe('SqliteConnectionStore cache', () => {
  let dir: string;
  let now: number;
  let api: SqliteConnectionStore;
  let other: SqliteConnectionStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stocktide-conn-cache-'));
    now = 1_000_000;
    const path = join(dir, 'pos.sqlite');
    api = new SqliteConnectionStore(path, { recheckMs: 50, now: () => now });
    other = new SqliteConnectionStore(path);
  });
  afterEach(async () => {
    await other.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a cached connection, when its secret is rotated through the same store, then the next look-up has the new secret', async () => {
    await api.createConnection(connection('old-secret'));
    expect((await api.getConnection('c1'))?.secret).toBe('old-secret');
    await api.replaceConnection(connection('new-secret', { disabled: true }));
    expect(await api.getConnection('c1')).toMatchObject({ secret: 'new-secret', disabled: true });
  });

  it('given an id looked up before it existed, when it is created, then it is found at once', async () => {
    expect(await api.getConnection('c1')).toBeUndefined();
    await api.createConnection(connection('s'));
    expect((await api.getConnection('c1'))?.secret).toBe('s');
  });

  it('given a cached connection, when another connection to the file changes it, then it is read back within recheckMs', async () => {
    await api.createConnection(connection('old-secret'));
    expect((await api.getConnection('c1'))?.secret).toBe('old-secret');
    await other.replaceConnection(connection('new-secret', { locationMap: { till: 'store-2' } }));
    now += 49;
    expect((await api.getConnection('c1'))?.secret).toBe('old-secret'); // the documented bound, not longer
    now += 1;
    expect(await api.getConnection('c1')).toMatchObject({ secret: 'new-secret', locationMap: { till: 'store-2' } });
  });

  it('a connection handed out is frozen: no caller can change what the next one reads', async () => {
    await api.createConnection(connection('s'));
    const first = (await api.getConnection('c1')) as { secret: string; locationMap: Record<string, string> };
    expect(() => { first.secret = 'x'; }).toThrow(TypeError);
    expect(() => { first.locationMap.till = 'elsewhere'; }).toThrow(TypeError);
    expect(await api.getConnection('c1')).toMatchObject({ secret: 's', locationMap: { till: 'store-1' } });
  });
});
