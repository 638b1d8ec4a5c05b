import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityStoreContract } from './identity-store.contract';
import { SqliteIdentityStore } from './sqlite-identity-store';

identityStoreContract('sqlite :memory:', async () => {
  const store = new SqliteIdentityStore(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SqliteIdentityStore on disk', () => {
  it('given users and tokens written, when the file is reopened, then they are still there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stocktide-identity-'));
    try {
      const first = SqliteIdentityStore.inDataDir(dir);
      await first.createUser({
        username: 'ann', role: 'admin', locations: [], passwordHash: 'h', disabled: false, createdAt: '2025-01-01T00:00:00.000Z',
      });
      await first.close();
      const second = SqliteIdentityStore.inDataDir(dir);
      expect((await second.getUser('ann'))?.role).toBe('admin');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
