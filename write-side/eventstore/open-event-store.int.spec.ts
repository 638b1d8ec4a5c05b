import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEvent } from './event-store.contract';
import { openEventStore } from './open-event-store';

const dir = mkdtempSync(join(tmpdir(), 'stocktide-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openEventStore', () => {
  it('given no EventStoreDB url, when opening, then the embedded store lives at dataDir/events.sqlite', async () => {
    const dataDir = join(dir, 'data');
    const store = await openEventStore({ eventStoreUrl: '', dataDir });
    expect(store.kind).toBe('embedded');
    await store.append('s', [testEvent()], 'no_stream');
    await store.close();
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
  });

  it('given an EventStoreDB url, when opening, then the EventStoreDB adapter is chosen without connecting yet', async () => {
    const store = await openEventStore({ eventStoreUrl: 'esdb://127.0.0.1:1?tls=false', dataDir: dir });
    expect(store.kind).toBe('eventstoredb');
    await store.close();
  });
});
