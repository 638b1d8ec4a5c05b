/**
 * MongoDB outbound store (used when `MONGODB_URI` is set). Same guarantees as the SQLite
 * adapter: one subscription per id, one delivery per id, push jobs coalesced with an optimistic
 * check on the stored position (a concurrent writer makes it read again, never lose a balance).
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import {
  SubscriptionExists, applyUpdate, coalesce,
  type Delivery, type DeliveryFilter, type DeliveryUpdate, type OutboundStore, type PushJob, type Subscription, type WebhookDelivery,
} from './outbound-store';

type SubscriptionDoc = Omit<Subscription, 'id'> & { _id: string; seq: number };
type DeliveryDoc = { _id: string; doc: string; target: string; subscriptionId?: string; connectionId?: string; status: string; nextAttemptAt: string; updatedAt: string; position: string };
interface SettingDoc { _id: string; enabled: boolean }
interface CursorDoc { _id: string; value: string }

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (e: unknown) => e instanceof MongoServerError && e.code === DUPLICATE_KEY;

// The delivery is kept whole as JSON text, so nested bodies come back exactly as stored.
const toDoc = (d: Delivery): DeliveryDoc => ({
  _id: d.id, doc: JSON.stringify(d), target: d.target, status: d.status, nextAttemptAt: d.nextAttemptAt,
  updatedAt: d.updatedAt, position: d.position,
  ...(d.target === 'webhook' ? { subscriptionId: d.subscriptionId } : { connectionId: d.connectionId }),
});
const fromDoc = (doc: DeliveryDoc): Delivery => JSON.parse(doc.doc) as Delivery;

export class MongoOutboundStore implements OutboundStore {
  readonly kind = 'mongodb' as const;
  private constructor(
    private readonly client: MongoClient,
    private readonly subscriptions: Collection<SubscriptionDoc>,
    private readonly deliveries: Collection<DeliveryDoc>,
    private readonly settings: Collection<SettingDoc>,
    private readonly cursors: Collection<CursorDoc>,
  ) {}

  static async open(uri: string, options: { prefix?: string } = {}): Promise<MongoOutboundStore> {
    const client = await new MongoClient(uri).connect();
    const db = client.db();
    const prefix = options.prefix ?? 'outbound';
    const deliveries = db.collection<DeliveryDoc>(`${prefix}_deliveries`);
    await deliveries.createIndex({ status: 1, nextAttemptAt: 1, _id: 1 });
    await deliveries.createIndex({ target: 1, updatedAt: -1, _id: -1 });
    const subscriptions = db.collection<SubscriptionDoc>(`${prefix}_subscriptions`);
    await subscriptions.createIndex({ seq: 1 });
    return new MongoOutboundStore(client, subscriptions, deliveries, db.collection(`${prefix}_push_settings`), db.collection(`${prefix}_cursors`));
  }

  async createSubscription(subscription: Subscription): Promise<void> {
    const { id, ...rest } = subscription;
    try {
      await this.subscriptions.insertOne({ _id: id, ...rest, seq: Date.now() });
    } catch (e) {
      if (isDuplicateKey(e)) throw new SubscriptionExists(id);
      throw e;
    }
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const doc = await this.subscriptions.findOne({ _id: id });
    if (!doc) return undefined;
    const { _id, seq: _seq, ...rest } = doc;
    return { id: _id, ...rest };
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const docs = await this.subscriptions.find({}).sort({ seq: 1, _id: 1 }).toArray();
    return docs.map(({ _id, seq: _seq, ...rest }) => ({ id: _id, ...rest }));
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return (await this.subscriptions.deleteOne({ _id: id })).deletedCount > 0;
  }

  async addDelivery(delivery: WebhookDelivery): Promise<boolean> {
    try {
      await this.deliveries.insertOne(toDoc(delivery));
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async upsertPushJob(job: PushJob): Promise<PushJob> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.deliveries.findOne({ _id: job.id });
      const stored = found ? (fromDoc(found) as PushJob) : undefined;
      const next = coalesce(stored, job);
      if (next === stored) return stored;
      try {
        if (!stored) await this.deliveries.insertOne(toDoc(next));
        else if ((await this.deliveries.replaceOne({ _id: job.id, position: stored.position }, toDoc(next))).matchedCount === 0) continue;
        return next;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
    throw new Error(`push job ${job.id} kept changing while being coalesced`);
  }

  async getDelivery(id: string): Promise<Delivery | undefined> {
    const doc = await this.deliveries.findOne({ _id: id });
    return doc ? fromDoc(doc) : undefined;
  }

  async updateDelivery(id: string, update: DeliveryUpdate): Promise<Delivery | undefined> {
    const doc = await this.deliveries.findOne({ _id: id });
    if (!doc) return undefined;
    const next = applyUpdate(fromDoc(doc), update);
    await this.deliveries.replaceOne({ _id: id }, toDoc(next));
    return next;
  }

  async dueDeliveries(now: string, limit: number): Promise<Delivery[]> {
    const docs = await this.deliveries.find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).toArray();
    return docs.map(fromDoc);
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<Delivery[]> {
    const query: Record<string, string> = {};
    if (filter.target !== undefined) query['target'] = filter.target;
    if (filter.subscriptionId !== undefined) query['subscriptionId'] = filter.subscriptionId;
    if (filter.connectionId !== undefined) query['connectionId'] = filter.connectionId;
    if (filter.status !== undefined) query['status'] = filter.status;
    const docs = await this.deliveries.find(query).sort({ updatedAt: -1, _id: -1 }).limit(filter.limit ?? 100).toArray();
    return docs.map(fromDoc);
  }

  async setPushEnabled(connectionId: string, enabled: boolean): Promise<void> {
    await this.settings.replaceOne({ _id: connectionId }, { enabled }, { upsert: true });
  }

  async pushEnabledConnections(): Promise<string[]> {
    return (await this.settings.find({ enabled: true }).sort({ _id: 1 }).toArray()).map((d) => d._id);
  }

  async getCursor(name: string): Promise<string | undefined> {
    return (await this.cursors.findOne({ _id: name }))?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.cursors.replaceOne({ _id: name }, { value }, { upsert: true });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
