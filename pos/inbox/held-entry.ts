/**
 * Where processing records how an entry ended. The inbox worker processes entries already stored
 * (`storedEntry`). The webhook holds its delivery in memory while it is processed within the
 * answer budget (`HeldEntry`): the POS, unanswered, still holds the delivery and sends it again if
 * this process dies, so the entry is written once, received and settled together, as processing
 * settles; and pending, durably, as soon as the delivery must be kept for later (the budget passed,
 * an attempt left it pending, processing failed). One write per delivery instead of two.
 */
import type { InboxSettlement, InboxStore, NewInboxEntry } from './inbox-store';

export interface EntryRecord {
  /** Records the settlement; `durable`: synced before it resolves (the effect is not durable elsewhere). */
  settle(settlement: InboxSettlement, durable: boolean): Promise<void>;
  /** The entry is stored and durable when this resolves: it is kept whatever happens to this process. */
  keep(): Promise<void>;
}

/**
 * An entry already in the inbox, durable since it was kept: a settlement lost to a power cut
 * leaves it pending, and processing it again counts once.
 */
export function storedEntry(inbox: InboxStore, id: string): EntryRecord {
  return {
    settle: async (settlement) => { await inbox.settle(id, settlement); },
    keep: async () => {},
  };
}

export class HeldEntry implements EntryRecord {
  /** The last write of this entry (each waits for the one before: the store sees them in order). */
  private written: Promise<void> | undefined;
  /** The write that kept the entry (a second `keep` with nothing written since is a no-op). */
  private kept: Promise<void> | undefined;

  constructor(private readonly inbox: InboxStore, readonly entry: NewInboxEntry) {}

  settle(settlement: InboxSettlement, durable: boolean): Promise<void> {
    const before = this.written;
    this.written = before
      ? before.then(() => storedEntry(this.inbox, this.entry.id).settle(settlement, durable))
      : this.inbox.receiveSettled(this.entry, settlement, { durable });
    return this.written;
  }

  keep(): Promise<void> {
    if (this.written !== undefined && this.written === this.kept) return this.kept; // kept, nothing written since
    const before = this.written;
    const receive = () => this.inbox.receive(this.entry); // durable; an id stored already is left as it is
    // Stored already: make it durable; the write before failed: store it now.
    this.written = before ? before.then(() => this.inbox.sync(this.entry.id), receive) : receive();
    this.kept = this.written;
    return this.written;
  }
}
