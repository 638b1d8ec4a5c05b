import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { FencedOffError } from '../../projections/readstore/port';
import { leaseStoreContract } from './lease-store.contract';
import { SqliteLeaseStore } from './sqlite-lease-store';
import { openSqlite } from '../../storage/sqlite';
import type { Lease } from './port';

const dir = mkdtempSync(join(tmpdir(), 'leases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

leaseStoreContract('sqlite', async () => {
  let now = 1_000_000;
  return { store: new SqliteLeaseStore(join(dir, `l${(n += 1)}.sqlite`), () => now), advance: (ms) => (now += ms) };
});

describe('fencing a projection commit (SQLite: lease and read models in one file)', () => {
  it('given a holder whose lease was taken over, when it commits, then the commit is refused and nothing is written', async () => {
    const path = join(dir, 'read.sqlite');
    let now = 0;
    const leases = new SqliteLeaseStore(path, () => now);
    const store = new SqliteReadStore({ path });
    const old = (await leases.acquire('projector', 'A', 1000))!;
    await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'A' } }], 1n, [], { name: 'projector', token: old.token });
    now += 2000;
    const next = (await leases.acquire('projector', 'B', 1000))!;

    await expect(store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'stale' } }], 2n, [], { name: 'projector', token: old.token }))
      .rejects.toBeInstanceOf(FencedOffError);
    expect(await store.get('c', '1')).toMatchObject({ v: 'A' });
    expect(await store.checkpoint('stock')).toBe(1n);
    await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'B' } }], 2n, [], { name: 'projector', token: next.token });
    expect(await store.get('c', '1')).toMatchObject({ v: 'B' });
    await Promise.all([leases.close(), store.close()]);
  });
});

describe('waiting for the write lock (the projector commits to the same file many times a second)', () => {
  it('given the write lock held by another connection, when a lease is renewed, then the thread keeps running and the renewal completes once the lock is free', async () => {
    const path = join(dir, 'busy.sqlite');
    const leases = new SqliteLeaseStore(path);
    const lease = (await leases.acquire('catalog-push', 'A', 5000))!;
    const other = openSqlite(path, { synchronous: 'NORMAL' });
    other.exec('BEGIN IMMEDIATE');
    let renewed: Lease | undefined;
    const renewal = leases.renew(lease, 5000).then((l) => { renewed = l; });
    // Meanwhile timers of this thread fire (SQLite's own busy handler would sleep inside the call
    // and, with the lock held by this very thread's other connection, fail the renewal after 5 s).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(renewed).toBeUndefined();
    other.exec('COMMIT');
    await renewal;
    expect(renewed).toMatchObject({ name: 'catalog-push', holder: 'A', token: lease.token });
    other.close();
    await leases.close();
  });
});

