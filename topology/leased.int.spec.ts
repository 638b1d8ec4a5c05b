import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLeaseStore } from './lease/sqlite-lease-store';
import { runUnderLease, type LeasedRunner } from './leased';
import type { RoleState } from './roles';

const dir = mkdtempSync(join(tmpdir(), 'leased-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('running under a lease', () => {
  it('given two candidates, exactly one runs; when it stops, the standby starts with a greater token; when its lease is taken, it stops', async () => {
    const path = join(dir, 'read.sqlite');
    const stores = [new SqliteLeaseStore(path), new SqliteLeaseStore(path)];
    const running = new Set<string>();
    const tokens: bigint[] = [];
    const states: Record<string, RoleState[]> = { A: [], B: [] };
    const candidate = (holder: string, i: number): LeasedRunner => runUnderLease({
      leases: stores[i]!, name: 'projector', holder, ttlMs: 300, log: () => undefined,
      report: (s) => states[holder]!.push(s),
      async start(lease) {
        running.add(holder);
        tokens.push(lease.token);
        return { stop: async () => void running.delete(holder) };
      },
    });
    const a = candidate('A', 0);
    await until('A active', () => running.has('A'));
    const b = candidate('B', 1);
    await until('B reports standby', () => states.B!.includes('standby'));
    expect([...running]).toEqual(['A']);

    await a.stop(); // releases: B takes over at its next tick, not after the TTL
    await until('B active', () => running.has('B'), 1000);
    expect([...running]).toEqual(['B']);
    expect(tokens[1]!).toBeGreaterThan(tokens[0]!);

    // Someone else takes the lease from B (as after a pause longer than the TTL): B stops.
    const current = (await stores[0]!.current('projector'))!;
    await stores[0]!.release(current);
    expect(await stores[0]!.acquire('projector', 'C', 60_000)).toBeDefined();
    await until('B stopped', () => !running.has('B'), 2000);
    expect(states.B!.at(-1)).toBe('standby');

    await b.stop();
    await Promise.all(stores.map((s) => s.close()));
  });
});
