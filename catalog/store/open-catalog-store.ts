import { join } from 'node:path';
import type { CatalogStore } from './catalog-store';
import { MongoCatalogStore } from './mongo-catalog-store';
import { SqliteCatalogStore } from './sqlite-catalog-store';

/** The catalog store: MongoDB when `mongodbUri` is given, else `${dataDir}/catalog.sqlite`. */
export async function openCatalogStore(options: { mongodbUri?: string; dataDir: string }): Promise<CatalogStore> {
  if (options.mongodbUri) return MongoCatalogStore.open(options.mongodbUri);
  return new SqliteCatalogStore(join(options.dataDir, 'catalog.sqlite'));
}
