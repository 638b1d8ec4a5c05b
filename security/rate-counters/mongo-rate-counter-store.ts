/**
 * Rate counters on MongoDB (`MONGODB_URI`): one document per key in `rate_counters`. A hit is one
 * `findOneAndUpdate` with an update pipeline and `upsert`: the server applies it atomically to
 * the document, so concurrent hits from every api instance count once each. Two first hits racing
 * on a new key may both try to insert; the loser gets a duplicate-key error and simply retries
 * (then it updates the winner's document). Expired counters are removed by `sweep` (a TTL index
 * would follow the server's clock, not the injected one the windows are measured with).
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { RateCount, RateCounterStore } from './port';

interface CounterDoc {
  _id: string;
  count: number;
  expiresAt: number;
}

const DUPLICATE_KEY = 11000;
export const RATE_COUNTERS = 'rate_counters';

export class MongoRateCounterStore implements RateCounterStore {
  readonly kind = 'mongodb' as const;
  private constructor(private readonly client: MongoClient, private readonly counters: Collection<CounterDoc>, private readonly now: () => number) {}

  static async open(uri: string, options: { database?: string; now?: () => number } = {}): Promise<MongoRateCounterStore> {
    const client = await new MongoClient(uri).connect();
    return new MongoRateCounterStore(client, client.db(options.database).collection<CounterDoc>(RATE_COUNTERS), options.now ?? Date.now);
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    const now = this.now();
    const ended = { $lte: [{ $ifNull: ['$expiresAt', 0] }, now] };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const doc = await this.counters.findOneAndUpdate(
          { _id: key },
          [{ $set: { count: { $cond: [ended, 1, { $add: ['$count', 1] }] }, expiresAt: { $cond: [ended, now + windowMs, '$expiresAt'] } } }],
          { upsert: true, returnDocument: 'after' },
        );
        return { current: doc!.count, ttlMs: doc!.expiresAt - now };
      } catch (error) {
        if (attempt < 3 && error instanceof MongoServerError && error.code === DUPLICATE_KEY) continue;
        throw error;
      }
    }
  }

  async peek(key: string): Promise<RateCount> {
    const now = this.now();
    const doc = await this.counters.findOne({ _id: key, expiresAt: { $gt: now } });
    return doc ? { current: doc.count, ttlMs: doc.expiresAt - now } : { current: 0, ttlMs: 0 };
  }

  async sweep(): Promise<number> {
    return (await this.counters.deleteMany({ expiresAt: { $lte: this.now() } })).deletedCount;
  }

  /** Tests only. */
  async dropDatabase(): Promise<void> {
    await this.counters.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
