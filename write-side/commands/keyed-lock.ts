/**
 * Runs work one at a time per key, in arrival order. The command service serializes decisions
 * on the same stream inside this process: optimistic concurrency still guards against other
 * processes, but 50 dispatches from one shop no longer race each other into retries.
 *
 * `runShared` is for work that may overlap with other shared work on the key (sales and
 * returns appended without an expected revision) but not with exclusive work: an exclusive run
 * waits for every run queued before it, and a shared run waits for the exclusive runs queued
 * before it. A receipt on a store's stream thus never races a flood of that store's sales into
 * its retries.
 */
export class KeyedLock {
  /** Settles once every run queued so far on the key has finished. */
  private readonly everything = new Map<string, Promise<void>>();
  /** Settles once the last exclusive run queued on the key has finished. */
  private readonly exclusive = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.everything.get(key) ?? Promise.resolve();
    const { done, release } = gate();
    const tail = previous.then(() => done);
    this.everything.set(key, tail);
    this.exclusive.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.everything.get(key) === tail) this.everything.delete(key);
      if (this.exclusive.get(key) === tail) this.exclusive.delete(key);
    }
  }

  async runShared<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.exclusive.get(key) ?? Promise.resolve();
    const { done, release } = gate();
    const all = Promise.all([this.everything.get(key), done]).then(() => undefined);
    this.everything.set(key, all);
    await before;
    try {
      return await work();
    } finally {
      release();
      // Whoever queues after this run chains on `all`; once nothing newer did, forget the key.
      void all.then(() => {
        if (this.everything.get(key) === all) this.everything.delete(key);
      });
    }
  }
}

function gate(): { done: Promise<void>; release: () => void } {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}
