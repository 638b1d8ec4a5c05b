import { join } from 'node:path';
import type { CatalogStore } from './catalog-store';
import { MongoCatalogStore } from './mongo-catalog-store';
import { PostgresCatalogStore } from './postgres-catalog-store';
import { SqliteCatalogStore } from './sqlite-catalog-store';

/** The catalog store: MongoDB when `mongodbUri` is given, else PostgreSQL when `databaseUrl` is, else `${dataDir}/catalog.sqlite`. */
export async function openCatalogStore(options: { mongodbUri?: string; dataDir: string; databaseUrl?: string }): Promise<CatalogStore> {
  if (options.mongodbUri) return MongoCatalogStore.open(options.mongodbUri);
  if (options.databaseUrl?.trim()) return PostgresCatalogStore.open({ url: options.databaseUrl.trim() });
  return new SqliteCatalogStore(join(options.dataDir, 'catalog.sqlite'));
}
