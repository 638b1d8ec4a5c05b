/**
 * MongoDB lease store: one document per lease in the `leases` collection of the read model
 * database (the read store's `commit(..., fence)` updates the same document in its transaction).
 * Acquire is one conditional upsert: free, expired or ours matches and sets the token; a running
 * lease of another holder matches nothing and the upsert collides on `_id` (= not acquired).
 * Expiry uses each instance's clock: keep clocks in sync to well within the TTL; safety does not
 * depend on it (the fencing token does), only how soon a standby takes over.
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { LEASES } from '../../projections/readstore/mongo-read-store';
import type { Lease, LeaseStore } from './port';

interface LeaseDoc {
  _id: string;
  holder: string;
  token: number;
  expiresAt: number;
  commits?: number;
}

const DUPLICATE_KEY = 11000;
const toLease = (d: LeaseDoc): Lease => ({ name: d._id, holder: d.holder, token: BigInt(d.token), expiresAt: d.expiresAt });

export class MongoLeaseStore implements LeaseStore {
  readonly kind = 'mongodb' as const;
  private constructor(private readonly client: MongoClient, private readonly leases: Collection<LeaseDoc>, private readonly now: () => number) {}

  static async open(uri: string, options: { database?: string; now?: () => number } = {}): Promise<MongoLeaseStore> {
    const client = await new MongoClient(uri).connect();
    return new MongoLeaseStore(client, client.db(options.database).collection<LeaseDoc>(LEASES), options.now ?? Date.now);
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.now();
    try {
      const doc = await this.leases.findOneAndUpdate(
        { _id: name, $or: [{ holder }, { expiresAt: { $lte: now } }] },
        [{
          $set: {
            token: { $cond: [{ $and: [{ $eq: ['$holder', holder] }, { $gt: ['$expiresAt', now] }] }, '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }] },
            holder, expiresAt: now + ttlMs,
          },
        }],
        { upsert: true, returnDocument: 'after' },
      );
      return doc ? toLease(doc) : undefined;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return undefined; // held by another
      throw error;
    }
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const doc = await this.leases.findOneAndUpdate(
      { _id: lease.name, holder: lease.holder, token: Number(lease.token), expiresAt: { $ne: 0 } },
      { $set: { expiresAt: this.now() + ttlMs } },
      { returnDocument: 'after' },
    );
    return doc ? toLease(doc) : undefined;
  }

  async release(lease: Lease): Promise<void> {
    await this.leases.updateOne({ _id: lease.name, token: Number(lease.token) }, { $set: { expiresAt: 0 } });
  }

  async current(name: string): Promise<Lease | undefined> {
    const doc = await this.leases.findOne({ _id: name });
    return doc ? toLease(doc) : undefined;
  }

  /** Tests only. */
  async dropDatabase(): Promise<void> {
    await this.leases.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
