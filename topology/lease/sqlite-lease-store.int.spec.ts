import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { FencedOffError } from '../../projections/readstore/port';
import { leaseStoreContract } from './lease-store.contract';
import { SqliteLeaseStore } from './sqlite-lease-store';

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
