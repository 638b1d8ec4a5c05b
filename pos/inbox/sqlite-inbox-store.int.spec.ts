import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inboxStoreContract } from './inbox-store.contract';
import { openInboxStore } from './open-inbox-store';
import { SqliteInboxStore } from './sqlite-inbox-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

inboxStoreContract('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-inbox-'));
  dirs.push(dataDir);
  return openInboxStore({ dataDir });
});

inboxStoreContract('sqlite, WAL checkpointed by a worker thread', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-inbox-'));
  dirs.push(dataDir);
  return openInboxStore({ dataDir, checkpointInWorker: true });
});

describe('SqliteInboxStore with its WAL checkpointed by a worker thread', () => {
  it('given deliveries committed on this thread, then the worker copies them into the database file while the store stays open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-inbox-'));
    dirs.push(dataDir);
    const path = join(dataDir, 'pos-inbox.sqlite');
    const store = new SqliteInboxStore(path, { checkpointInWorker: true });
    try {
      const rawBody = JSON.stringify({ padding: 'x'.repeat(1000) });
      await Promise.all(Array.from({ length: 300 }, (_, i) => store.receive({
        id: `c-${i}`, connectionId: 'c', receivedAt: '2024-06-02T12:00:00.000Z', delivery: { kind: 'generic', rawBody }, headers: {},
      }, { durable: false })));
      // Below its own (raised) threshold this thread never checkpoints: only the worker can have grown the file.
      const deadline = Date.now() + 10_000;
      while (statSync(path).size < 300 * 1000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statSync(path).size).toBeGreaterThanOrEqual(300 * 1000);
      expect(await store.get('c-299')).toMatchObject({ status: 'pending' });
    } finally {
      await store.close();
    }
  });
});

describe('SqliteInboxStore without its own sync', () => {
  it('given an entry received with durable: false, then it is committed (another connection sees it) before any sync', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-inbox-'));
    dirs.push(dataDir);
    const store = new SqliteInboxStore(join(dataDir, 'pos-inbox.sqlite'));
    const other = new SqliteInboxStore(join(dataDir, 'pos-inbox.sqlite'));
    try {
      await store.receive({ id: 'e1', connectionId: 'c', receivedAt: '2024-06-02T12:00:00.000Z', delivery: { kind: 'generic', rawBody: '{}' }, headers: {} }, { durable: false });
      expect(await other.get('e1')).toMatchObject({ id: 'e1', status: 'pending' });
      await store.sync('e1');
      expect(await other.get('e1')).toMatchObject({ id: 'e1', status: 'pending', receivedAt: '2024-06-02T12:00:00.000Z' });
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });
});
