import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock';

/** A run that records when it starts and ends, and ends when the test says so. */
function recorder() {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const work = (name: string) => async () => {
    log.push(`${name}+`);
    await new Promise<void>((resolve) => gates.set(name, resolve));
    log.push(`${name}-`);
    return name;
  };
  const end = async (name: string) => {
    for (let i = 0; i < 50 && !gates.has(name); i++) await new Promise((r) => setImmediate(r));
    gates.get(name)!();
    await new Promise((r) => setImmediate(r));
  };
  return { log, work, end };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('KeyedLock', () => {
  it('given exclusive runs on one key, then they run one at a time in arrival order; other keys do not wait', async () => {
    const lock = new KeyedLock();
    const { log, work, end } = recorder();
    const runs = [lock.run('s', work('a')), lock.run('s', work('b')), lock.run('t', work('c'))];
    await settle();
    expect(log).toEqual(['a+', 'c+']);
    await end('a');
    expect(log).toEqual(['a+', 'c+', 'a-', 'b+']);
    await end('b');
    await end('c');
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
  });

  it('given shared runs, then they overlap; an exclusive run waits for the shared ones queued before it, and later shared ones wait for it', async () => {
    const lock = new KeyedLock();
    const { log, work, end } = recorder();
    const runs = [lock.runShared('s', work('sale1')), lock.runShared('s', work('sale2')), lock.run('s', work('receipt')), lock.runShared('s', work('sale3'))];
    await settle();
    expect(log).toEqual(['sale1+', 'sale2+']);
    await end('sale2');
    expect(log).not.toContain('receipt+');
    await end('sale1');
    expect(log.slice(-2)).toEqual(['sale1-', 'receipt+']);
    expect(log).not.toContain('sale3+');
    await end('receipt');
    expect(log.slice(-2)).toEqual(['receipt-', 'sale3+']);
    await end('sale3');
    expect(await Promise.all(runs)).toEqual(['sale1', 'sale2', 'receipt', 'sale3']);
  });

  it('given a run that throws, then the next run on the key still goes', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('s', async () => { throw new Error('no'); })).rejects.toThrow('no');
    await expect(lock.runShared('s', async () => { throw new Error('no'); })).rejects.toThrow('no');
    expect(await lock.run('s', async () => 'next')).toBe('next');
    expect(await lock.runShared('s', async () => 'shared')).toBe('shared');
  });
});
