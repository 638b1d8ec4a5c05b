import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openOutboundStore } from './open-outbound-store';
import { outboundStoreContract } from './outbound-store.contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

outboundStoreContract('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-outbound-'));
  dirs.push(dataDir);
  return openOutboundStore({ dataDir });
});
