import { describe } from 'vitest';
import { catalogStoreContract } from './catalog-store.contract';
import { MongoCatalogStore } from './mongo-catalog-store';

const uri = process.env['MONGODB_URI'];
if (!uri) console.info('MongoCatalogStore contract skipped: MONGODB_URI is not set');

describe.runIf(Boolean(uri))('MongoCatalogStore', () => {
  let n = 0;
  catalogStoreContract('mongodb', () => MongoCatalogStore.open(uri!, { prefix: `catalog_test_${Date.now()}_${n++}` }));
});
