/** MongoDB catalog store (used when `MONGODB_URI` is set): the same documents as the SQLite adapter. */
import { MongoClient, type Collection } from 'mongodb';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';
import { applyProductPushUpdate, coalesceProductPush, type ProductPushJob, type ProductPushStatus, type ProductPushUpdate } from '../push/product-push-job';

type JobDoc = Omit<ImportJob, 'id'> & { _id: string };
type SettingsDoc = ConnectionCatalogSettings & { _id: string };
type PushDoc = Omit<ProductPushJob, 'id'> & { _id: string };
type CursorDoc = { _id: string; value: string };

const fromPushDoc = ({ _id, ...rest }: PushDoc): ProductPushJob => ({ id: _id, ...rest });

export class MongoCatalogStore implements CatalogStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly imports: Collection<JobDoc>,
    private readonly settings: Collection<SettingsDoc>,
    private readonly pushes: Collection<PushDoc>,
    private readonly cursors: Collection<CursorDoc>,
  ) {}

  static async open(uri: string, options: { prefix?: string } = {}): Promise<MongoCatalogStore> {
    const client = await new MongoClient(uri).connect();
    const prefix = options.prefix ?? 'catalog';
    const imports = client.db().collection<JobDoc>(`${prefix}_imports`);
    await imports.createIndex({ connectionId: 1, startedAt: -1 });
    const pushes = client.db().collection<PushDoc>(`${prefix}_product_pushes`);
    await pushes.createIndex({ status: 1, nextAttemptAt: 1, _id: 1 });
    await pushes.createIndex({ connectionId: 1, updatedAt: -1 });
    return new MongoCatalogStore(client, imports, client.db().collection<SettingsDoc>(`${prefix}_settings`), pushes, client.db().collection<CursorDoc>(`${prefix}_cursors`));
  }

  async putImport({ id, ...rest }: ImportJob): Promise<void> {
    await this.imports.replaceOne({ _id: id }, rest, { upsert: true });
  }

  async getImport(id: string): Promise<ImportJob | undefined> {
    const doc = await this.imports.findOne({ _id: id });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  async listImports(filter: { connectionId?: string; status?: ImportJob['status'] } = {}): Promise<ImportJob[]> {
    const docs = await this.imports.find({ ...(filter.connectionId && { connectionId: filter.connectionId }), ...(filter.status && { status: filter.status }) })
      .sort({ startedAt: -1, _id: -1 }).limit(200).toArray();
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  async getSettings(connectionId: string): Promise<ConnectionCatalogSettings | undefined> {
    const doc = await this.settings.findOne({ _id: connectionId });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return rest;
  }

  async putSettings(connectionId: string, settings: ConnectionCatalogSettings): Promise<void> {
    await this.settings.replaceOne({ _id: connectionId }, settings, { upsert: true });
  }

  /**
   * Read, coalesce, then replace only if the stored document is still the one read (its
   * `updatedAt` and `position`): one pusher per store, but the admin's retry may race it.
   */
  async upsertProductPush(job: ProductPushJob): Promise<ProductPushJob> {
    for (;;) {
      const doc = await this.pushes.findOne({ _id: job.id });
      const stored = doc ? fromPushDoc(doc) : undefined;
      const next = coalesceProductPush(stored, job);
      if (next === stored) return stored;
      const { id, ...rest } = next;
      try {
        const r = stored
          ? await this.pushes.replaceOne({ _id: id, updatedAt: stored.updatedAt, position: stored.position }, rest)
          : (await this.pushes.insertOne({ _id: id, ...rest }), { matchedCount: 1 });
        if (r.matchedCount === 1) return next;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error; // inserted meanwhile: read again
      }
    }
  }

  async getProductPush(id: string): Promise<ProductPushJob | undefined> {
    const doc = await this.pushes.findOne({ _id: id });
    return doc ? fromPushDoc(doc) : undefined;
  }

  async updateProductPush(id: string, update: ProductPushUpdate): Promise<ProductPushJob | undefined> {
    const stored = await this.getProductPush(id);
    if (!stored) return undefined;
    const next = applyProductPushUpdate(stored, update);
    const { id: _id, ...rest } = next;
    await this.pushes.replaceOne({ _id: id }, rest);
    return next;
  }

  async dueProductPushes(now: string, limit: number): Promise<ProductPushJob[]> {
    return (await this.pushes.find({ status: 'pending', nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).toArray()).map(fromPushDoc);
  }

  async listProductPushes(filter: { connectionId?: string; status?: ProductPushStatus; limit?: number } = {}): Promise<ProductPushJob[]> {
    return (await this.pushes.find({ ...(filter.connectionId && { connectionId: filter.connectionId }), ...(filter.status && { status: filter.status }) })
      .sort({ updatedAt: -1, _id: -1 }).limit(filter.limit ?? 100).toArray()).map(fromPushDoc);
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
