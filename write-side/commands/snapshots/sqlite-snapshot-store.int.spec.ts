import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { snapshotStoreContract } from './snapshot-store.contract';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

const dir = mkdtempSync(join(tmpdir(), 'snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
snapshotStoreContract('sqlite', async () => new SqliteSnapshotStore(join(dir, `s${(n += 1)}.sqlite`)));
