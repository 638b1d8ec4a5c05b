import { describe, expect, it } from 'vitest';
import { hostWorkers } from './worker-host';

describe('the worker host', () => {
  it('given a worker that crashes, then its lease is released (onCrash), it is restarted and reported active; stop ends it', async () => {
    const spawned: string[] = [];
    const crashed: string[] = [];
    const host = hostWorkers({
      entry: new URL('./testing/crashy-worker.mjs', import.meta.url),
      roles: ['projector'],
      workerData: () => {
        const holder = `h${spawned.length + 1}`;
        spawned.push(holder);
        return { holder, crash: spawned.length === 1 };
      },
      onCrash: async (_role, holder) => {
        crashed.push(holder);
      },
      log: () => undefined,
    });
    await host.started(5000);
    const deadline = Date.now() + 10_000;
    while (spawned.length < 2 || host.status().projector !== 'active') {
      if (Date.now() > deadline) throw new Error(`not restarted: ${JSON.stringify(host.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(crashed).toEqual(['h1']);
    expect(spawned).toEqual(['h1', 'h2']);
    await host.stop();
    expect(host.status().projector).toBe('stopped');
  });
});
