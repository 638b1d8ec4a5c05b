import { MemoryReadStore } from './memory-read-store';
import { readStoreContract } from './read-store.contract';

readStoreContract('memory', async () => new MemoryReadStore());
