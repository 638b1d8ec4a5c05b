/** MongoDB catalog store (used when `MONGODB_URI` is set): the same documents as the SQLite adapter. */
import { MongoClient, type Collection } from 'mongodb';
import type { CatalogStore, ConnectionCatalogSettings, ImportJob } from './catalog-store';

type JobDoc = Omit<ImportJob, 'id'> & { _id: string };
type SettingsDoc = ConnectionCatalogSettings & { _id: string };

export class MongoCatalogStore implements CatalogStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly imports: Collection<JobDoc>,
    private readonly settings: Collection<SettingsDoc>,
  ) {}

  static async open(uri: string, options: { prefix?: string } = {}): Promise<MongoCatalogStore> {
    const client = await new MongoClient(uri).connect();
    const prefix = options.prefix ?? 'catalog';
    const imports = client.db().collection<JobDoc>(`${prefix}_imports`);
    await imports.createIndex({ connectionId: 1, startedAt: -1 });
    return new MongoCatalogStore(client, imports, client.db().collection<SettingsDoc>(`${prefix}_settings`));
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

  async close(): Promise<void> {
    await this.client.close();
  }
}
