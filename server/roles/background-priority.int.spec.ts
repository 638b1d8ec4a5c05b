/**
 * Under `npm start` the projector and outbound threads run niced beside the api
 * (IMS_BACKGROUND_NICE, default 10; topology/thread-priority.ts): a busy machine serves the
 * webhook's ack first. The api thread and the event store's appender (on the ack path) keep the
 * process's priority. Read from the child's `/proc/<pid>/task/*\/stat` (Linux only: skipped,
 * and said so, elsewhere). Bounded: two child servers, one /health each, 127.0.0.1 only.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren, startChildServer } from '../testing/child-server';

const linux = existsSync('/proc/self/task');
if (!linux) console.warn('background priority: skipped (needs Linux /proc to read thread priorities)');

const dirs: string[] = [];
afterAll(async () => {
  await killAllChildren();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Nice value per thread name of process `pid` (the main thread as `main`). */
function nicesOf(pid: number): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // After `(comm) `: state is field 0, nice is field 16 (proc(5): field 19 of the whole line).
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    byName.set(name, [...(byName.get(name) ?? []), nice]);
  }
  return byName;
}

async function threadNices(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-nice-'));
  dirs.push(dir);
  const server = await startChildServer(dir, env);
  try {
    return nicesOf(server.process.pid!);
  } finally {
    server.process.kill('SIGKILL');
    await server.exited;
  }
}

describe.skipIf(!linux)('background roles beside the api', () => {
  it('run niced by default while the api and the appender keep the process priority', async () => {
    const nices = await threadNices({});
    const [main] = nices.get('main')!;
    // A test runner already niced above 10 leaves the workers at its own value (never raised).
    const background = Math.max(main!, 10);
    expect(nices.get('st-projector')).toEqual([background]);
    expect(nices.get('st-outbound')).toEqual([background]);
    expect(nices.get('st-appender')).toEqual([main]);
  }, 120_000);

  it('keep the process priority with IMS_BACKGROUND_NICE=0', async () => {
    const nices = await threadNices({ IMS_BACKGROUND_NICE: '0' });
    const [main] = nices.get('main')!;
    expect(nices.get('st-projector')).toEqual([main]);
    expect(nices.get('st-outbound')).toEqual([main]);
  }, 120_000);
});
