/** In-memory snapshot store (tests, and a process that wants no snapshot file). */
import type { SnapshotStore, StreamSnapshot } from './port';

export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = 'memory' as const;
  private readonly snapshots = new Map<string, string>();

  async load(streamId: string): Promise<StreamSnapshot | undefined> {
    const text = this.snapshots.get(streamId);
    if (text === undefined) return undefined;
    // Stored as text, as the other adapters do: a caller never shares objects with the store.
    const s = JSON.parse(text) as { version: number; revision: string; position: string; state: unknown };
    return { streamId, version: s.version, revision: BigInt(s.revision), position: BigInt(s.position), state: s.state };
  }

  async save(snapshot: StreamSnapshot): Promise<void> {
    const current = await this.load(snapshot.streamId);
    if (current && current.version === snapshot.version && current.revision >= snapshot.revision) return;
    this.snapshots.set(snapshot.streamId, JSON.stringify({
      version: snapshot.version, revision: snapshot.revision.toString(), position: snapshot.position.toString(), state: snapshot.state,
    }));
  }

  async close(): Promise<void> {
    this.snapshots.clear();
  }
}
