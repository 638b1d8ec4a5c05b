import { catalogStoreContract } from './catalog-store.contract';
import { SqliteCatalogStore } from './sqlite-catalog-store';

catalogStoreContract('sqlite', async () => new SqliteCatalogStore(':memory:'));
