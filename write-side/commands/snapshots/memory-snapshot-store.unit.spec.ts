import { MemorySnapshotStore } from './memory-snapshot-store';
import { snapshotStoreContract } from './snapshot-store.contract';

snapshotStoreContract('memory', async () => new MemorySnapshotStore());
