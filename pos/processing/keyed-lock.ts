/**
 * Serializes work per key inside this process: concurrent deliveries of one POS event wait for
 * one another instead of racing (e.g. to quarantine, fetch or reconcile the same thing twice).
 * Correctness does not rest on it alone: commands are idempotent and the stores use unique keys.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
