import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { connectionStoreContract } from './connection-store.contract';
import { openPosStore } from './open-pos-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

connectionStoreContract('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-pos-'));
  dirs.push(dataDir);
  return openPosStore({ dataDir });
});
