import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReadStore } from './open-read-store';

describe('openReadStore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-open-read-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given no MongoDB uri, when opening, then the embedded store lives at dataDir/read.sqlite', async () => {
    const store = await openReadStore({ dataDir, mongodbUri: '  ' });
    expect(store.kind).toBe('embedded');
    expect(existsSync(join(dataDir, 'read.sqlite'))).toBe(true);
    await store.close();
  });
});
