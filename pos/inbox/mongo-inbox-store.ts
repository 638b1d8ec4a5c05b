/**
 * MongoDB POS inbox (used when `MONGODB_URI` is set). `insertOne` is acknowledged by the
 * server's default write concern before the webhook goes on; settle/defer compare-and-set on
 * `status: 'pending'` and `attempts`, so two processors of one entry cannot both win.
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { deferEntry, settleEntry } from './inbox-rules';
import type { InboxDeferral, InboxEntry, InboxSettlement, InboxStats, InboxStore, NewInboxEntry } from './inbox-store';

type InboxDoc = Omit<InboxEntry, 'id'> & { _id: string; seq: number; test: boolean };

const DUPLICATE_KEY = 11000;
const toEntry = ({ _id, seq: _seq, test: _test, ...rest }: InboxDoc): InboxEntry => ({ id: _id, ...rest });

let lastSeq = 0;
/** Orders entries oldest first; time plus a counter keeps it increasing in this process. */
function nextSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

export class MongoInboxStore implements InboxStore {
  readonly kind = 'mongodb' as const;
  private constructor(private readonly client: MongoClient, private readonly inbox: Collection<InboxDoc>) {}

  static async open(uri: string, options: { prefix?: string } = {}): Promise<MongoInboxStore> {
    const client = await new MongoClient(uri).connect();
    const inbox = client.db().collection<InboxDoc>(`${options.prefix ?? 'pos'}_inbox`);
    await inbox.createIndex({ status: 1, seq: 1 });
    await inbox.createIndex({ connectionId: 1, receivedAt: 1 });
    return new MongoInboxStore(client, inbox);
  }

  /** Always journaled before it resolves (`durable: false` changes nothing here). */
  async receive(entry: NewInboxEntry): Promise<void> {
    const { id, ...rest } = entry;
    try {
      await this.inbox.insertOne({ _id: id, ...rest, status: 'pending', attempts: 0, seq: nextSeq(), test: false }, { writeConcern: { w: 'majority', journal: true } });
    } catch (e) {
      if (!(e instanceof MongoServerError && e.code === DUPLICATE_KEY)) throw e;
    }
  }

  async receiveSettled(entry: NewInboxEntry, settlement: InboxSettlement): Promise<void> {
    const { id, ...rest } = settleEntry({ ...entry, status: 'pending', attempts: 0 }, settlement);
    const test = rest.outcome?.status === 'ignored' && rest.outcome.test === true;
    try {
      await this.inbox.insertOne({ _id: id, ...rest, seq: nextSeq(), test }, { writeConcern: { w: 'majority', journal: true } });
    } catch (e) {
      if (!(e instanceof MongoServerError && e.code === DUPLICATE_KEY)) throw e;
      await this.settle(id, settlement);
    }
  }

  /** Every insert is journaled with `w: majority` already. */
  async sync(): Promise<void> {}

  async get(id: string): Promise<InboxEntry | undefined> {
    const doc = await this.inbox.findOne({ _id: id });
    return doc ? toEntry(doc) : undefined;
  }

  private async change(id: string, next: (entry: InboxEntry) => InboxEntry): Promise<InboxEntry | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await this.inbox.findOne({ _id: id });
      if (!doc) return undefined;
      const current = toEntry(doc);
      const changed = next(current);
      if (changed === current) return current;
      const { id: _id, ...rest } = changed;
      const test = changed.outcome?.status === 'ignored' && changed.outcome.test === true;
      const result = await this.inbox.replaceOne(
        { _id: id, status: 'pending', attempts: current.attempts },
        { ...rest, seq: doc.seq, test },
        { writeConcern: { w: 'majority', journal: true } },
      );
      if (result.matchedCount === 1) return changed;
    }
    return this.get(id);
  }

  settle(id: string, settlement: InboxSettlement): Promise<InboxEntry | undefined> {
    return this.change(id, (entry) => settleEntry(entry, settlement));
  }

  defer(id: string, deferral: InboxDeferral): Promise<InboxEntry | undefined> {
    return this.change(id, (entry) => deferEntry(entry, deferral));
  }

  async listPending(limit = 1000): Promise<InboxEntry[]> {
    return (await this.inbox.find({ status: 'pending' }).sort({ seq: 1 }).limit(limit).toArray()).map(toEntry);
  }

  async listRecent(connectionId: string, limit = 50): Promise<InboxEntry[]> {
    return (await this.inbox.find({ connectionId }).sort({ seq: -1 }).limit(limit).toArray()).map(toEntry);
  }

  async stats(connectionId: string, since: readonly string[]): Promise<InboxStats> {
    const [last] = await this.inbox.find({ connectionId }).sort({ receivedAt: -1 }).limit(1).toArray();
    const receivedSince = await Promise.all(since.map((at) => this.inbox.countDocuments({ connectionId, receivedAt: { $gte: at } })));
    const pending = await this.inbox.countDocuments({ connectionId, status: 'pending' });
    const tests = await this.inbox.countDocuments({ connectionId, test: true });
    const [lastTest] = await this.inbox.find({ connectionId, test: true }).sort({ receivedAt: -1 }).limit(1).toArray();
    const [errored] = await this.inbox.find({ connectionId, lastErrorAt: { $exists: true } }).sort({ lastErrorAt: -1 }).limit(1).toArray();
    return {
      ...(last && { lastReceivedAt: last.receivedAt }),
      receivedSince,
      pending,
      tests,
      ...(lastTest && { lastTestAt: lastTest.receivedAt }),
      ...(errored?.lastErrorAt && errored.lastError && { lastError: { at: errored.lastErrorAt, message: errored.lastError } }),
    };
  }

  async prune(before: string): Promise<number> {
    return (await this.inbox.deleteMany({ status: { $ne: 'pending' }, receivedAt: { $lt: before } })).deletedCount;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
