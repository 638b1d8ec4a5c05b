import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { inboxStoreContract } from './inbox-store.contract';
import { openInboxStore } from './open-inbox-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

inboxStoreContract('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-inbox-'));
  dirs.push(dataDir);
  return openInboxStore({ dataDir });
});
