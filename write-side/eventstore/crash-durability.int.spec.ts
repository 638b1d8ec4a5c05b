import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { readAllAfter, testEvent } from './event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'stocktide-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KILL_AFTER = 3000;
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/** Runs the writer until it has acknowledged `killAfter` events, SIGKILLs it, and returns every id it acknowledged. */
async function runAndKill(path: string, killAfter: number, mode: 'inline' | 'worker'): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(import.meta.dirname, 'crash-writer.fixture.ts'), path, '50000', mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: string[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  try {
    // Read every line, including those already in the pipe when the kill lands: they were all acknowledged.
    for await (const line of createInterface({ input: child.stdout })) {
      if (!line.startsWith('ack ')) continue;
      acked.push(line.slice(4));
      if (acked.length === killAfter) child.kill('SIGKILL');
    }
    return { acked, signal: await exited };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); // never leave it running
  }
}

describe.each(['inline', 'worker'] as const)('SqliteEventStore crash durability (commits %s)', (mode) => {
  it('given a writer SIGKILLed mid-stream, when the store is reopened, then every acknowledged event is there and the log is consistent', async () => {
    const path = join(dir, mode, 'events.sqlite');
    const { acked, signal } = await runAndKill(path, KILL_AFTER, mode);
    expect(signal).toBe('SIGKILL'); // it died mid-stream, not at its own bound
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const store = new SqliteEventStore({ path });
    const log = await readAllAfter(store, 0n, 5000);
    const stored = new Set(log.map((e) => e.id));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(log.length);
    log.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(log[i]!.position));
    const byStream = new Map<string, bigint[]>();
    for (const e of log) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
    for (const revisions of byStream.values()) expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
    // The reopened store carries on from the recovered heads.
    const [streamId, revisions] = [...byStream.entries()][0]!;
    const next = await store.append(streamId, [testEvent()], BigInt(revisions.length - 1));
    expect(next.nextRevision).toBe(BigInt(revisions.length));
    await store.close();
  });
});
