import { mkdtempSync, rmSync } from 'node:fs';
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
