/**
 * MongoDB POS store (used when `MONGODB_URI` is set). Unique indexes give the same guarantees
 * as the SQLite adapter: one connection per id, one quarantine item per (connection, POS event).
 */
import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import {
  ConnectionExists,
  type ConnectionStore, type NewQuarantineItem, type PosConnection, type QuarantineFilter, type QuarantineItem,
  type QuarantineResolution,
} from './connection-store';
import { applyResolution } from './sqlite-connection-store';

type ConnectionDoc = Omit<PosConnection, 'id'> & { _id: string };
type QuarantineDoc = Omit<QuarantineItem, 'id'> & { _id: string; seq: number };
interface ProcessedDoc { _id: string; position: string; at: string }

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (e: unknown) => e instanceof MongoServerError && e.code === DUPLICATE_KEY;

const toConnection = ({ _id, ...rest }: ConnectionDoc): PosConnection => ({ id: _id, ...rest });
const toItem = ({ _id, seq: _seq, ...rest }: QuarantineDoc): QuarantineItem => ({ id: _id, ...rest });

export class MongoConnectionStore implements ConnectionStore {
  readonly kind = 'mongodb' as const;
  private constructor(
    private readonly client: MongoClient,
    private readonly connections: Collection<ConnectionDoc>,
    private readonly quarantine: Collection<QuarantineDoc>,
    private readonly processed: Collection<ProcessedDoc>,
  ) {}

  static async open(uri: string, options: { prefix?: string } = {}): Promise<MongoConnectionStore> {
    const client = await new MongoClient(uri).connect();
    const db: Db = client.db();
    const prefix = options.prefix ?? 'pos';
    const quarantine = db.collection<QuarantineDoc>(`${prefix}_quarantine`);
    await quarantine.createIndex({ connectionId: 1, posEventId: 1 }, { unique: true });
    await quarantine.createIndex({ status: 1, seq: 1 });
    return new MongoConnectionStore(
      client,
      db.collection<ConnectionDoc>(`${prefix}_connections`),
      quarantine,
      db.collection<ProcessedDoc>(`${prefix}_processed`),
    );
  }

  async createConnection(connection: PosConnection): Promise<void> {
    const { id, ...rest } = connection;
    try {
      await this.connections.insertOne({ _id: id, ...rest });
    } catch (e) {
      if (isDuplicateKey(e)) throw new ConnectionExists(id);
      throw e;
    }
  }

  async getConnection(id: string): Promise<PosConnection | undefined> {
    const doc = await this.connections.findOne({ _id: id });
    return doc ? toConnection(doc) : undefined;
  }

  async listConnections(): Promise<PosConnection[]> {
    return (await this.connections.find().sort({ _id: 1 }).toArray()).map(toConnection);
  }

  async replaceConnection(connection: PosConnection): Promise<PosConnection | undefined> {
    const { id, ...rest } = connection;
    const result = await this.connections.replaceOne({ _id: id }, rest);
    return result.matchedCount === 0 ? undefined : connection;
  }

  async putQuarantine(item: NewQuarantineItem): Promise<QuarantineItem> {
    const { id, ...rest } = item;
    try {
      // seq orders the list oldest first; time plus a counter keeps it increasing in this process.
      await this.quarantine.insertOne({ _id: id, ...rest, status: 'open', attempts: 0, seq: nextSeq() });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    const doc = await this.quarantine.findOne({ connectionId: item.connectionId, posEventId: item.posEventId });
    return toItem(doc!);
  }

  async getQuarantine(id: string): Promise<QuarantineItem | undefined> {
    const doc = await this.quarantine.findOne({ _id: id });
    return doc ? toItem(doc) : undefined;
  }

  async listQuarantine(filter: QuarantineFilter = {}): Promise<QuarantineItem[]> {
    const query: Record<string, string> = {};
    if (filter.status) query['status'] = filter.status;
    if (filter.connectionId) query['connectionId'] = filter.connectionId;
    const docs = await this.quarantine.find(query).sort({ seq: 1 }).limit(filter.limit ?? 1000).toArray();
    return docs.map(toItem);
  }

  async resolveQuarantine(id: string, resolution: QuarantineResolution): Promise<QuarantineItem | undefined> {
    const doc = await this.quarantine.findOne({ _id: id });
    if (!doc) return undefined;
    const current = toItem(doc);
    const next = applyResolution(current, resolution);
    if (next === current) return current;
    const { id: _id, ...rest } = next;
    // Compare-and-set on attempts, so two concurrent retries cannot both win.
    const result = await this.quarantine.replaceOne({ _id: id, attempts: current.attempts }, { ...rest, seq: doc.seq });
    return result.matchedCount === 0 ? this.getQuarantine(id) : next;
  }

  async getProcessed(connectionId: string, posEventId: string): Promise<string | undefined> {
    return (await this.processed.findOne({ _id: processedKey(connectionId, posEventId) }))?.position;
  }

  async putProcessed(connectionId: string, posEventId: string, position: string, at: string): Promise<void> {
    await this.processed.updateOne(
      { _id: processedKey(connectionId, posEventId) },
      { $setOnInsert: { position, at } },
      { upsert: true },
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

const processedKey = (connectionId: string, posEventId: string) => `${connectionId}\u0000${posEventId}`;

let lastSeq = 0;
function nextSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}
