/**
 * The POS inbox port: every AUTHENTIC delivery (signature verified) is stored here, raw bytes
 * and the headers that matter, before anything else can fail; only then is it processed. An
 * entry stays `pending` until its effect is durable (`done`) or it is kept in quarantine
 * (`quarantined`). On start, pending entries are processed again (crash recovery); effects are
 * idempotent per POS event, so a delivery processed twice counts once.
 * Adapters: SQLite (`${dataDir}/pos-inbox.sqlite`), MongoDB and PostgreSQL; one contract suite
 * (`inbox-store.contract.ts`) covers them all.
 */
import type { StoredDelivery } from '../connections/connection-store';

export type InboxStatus = 'pending' | 'done' | 'quarantined';

/** What processing made of an entry (kept for the health view and the crash-recovery test). */
export type InboxOutcome =
  | { readonly status: 'applied'; readonly position: string; readonly duplicate: boolean }
  | { readonly status: 'ignored'; readonly reason: string; readonly test?: boolean }
  | { readonly status: 'quarantined'; readonly quarantineId: string; readonly reason: string };

export interface NewInboxEntry {
  readonly id: string;
  readonly connectionId: string;
  readonly delivery: StoredDelivery;
  /** The request headers that matter (topic, event/webhook ids, shop domain, API version, ...), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: string;
}

export interface InboxEntry extends NewInboxEntry {
  readonly status: InboxStatus;
  /** Processing attempts that ended pending (an upstream slow or down, an unexpected error). */
  readonly attempts: number;
  readonly nextAttemptAt?: string;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly outcome?: InboxOutcome;
  readonly settledAt?: string;
}

export interface InboxSettlement {
  readonly status: 'done' | 'quarantined';
  readonly at: string;
  readonly outcome: InboxOutcome;
}

export interface InboxDeferral {
  readonly at: string;
  readonly nextAttemptAt: string;
  readonly error: string;
}

/** Per connection, for the health view. */
export interface InboxStats {
  readonly lastReceivedAt?: string;
  /** Deliveries received at or after each given instant (e.g. the last hour, the last week). */
  readonly receivedSince: readonly number[];
  readonly pending: number;
  readonly tests: number;
  readonly lastTestAt?: string;
  readonly lastError?: { readonly at: string; readonly message: string };
}

export interface InboxStore {
  readonly kind: 'embedded' | 'mongodb' | 'postgres';
  /**
   * Durable when it resolves (the webhook answers only after). A repeated id is ignored.
   * `{ durable: false }`: stored (it survives a crash of the process, not necessarily a power
   * cut) without waiting for its own sync; the caller then answers only once the delivery's
   * effect is durable elsewhere (its events appended) or after `sync(id)`. The webhook route
   * does this: most deliveries end in an append, which makes them durable anyway.
   */
  receive(entry: NewInboxEntry, options?: { readonly durable?: boolean }): Promise<void>;
  /**
   * Stores a delivery already settled, in one write (the webhook's path when processing settles
   * within the answer budget: the delivery was held by the unanswered POS until then). Durable as
   * `receive`, and `{ durable: false }` means the same. An id already stored is settled as `settle`
   * does (a settled entry stays as it is).
   */
  receiveSettled(entry: NewInboxEntry, settlement: InboxSettlement, options?: { readonly durable?: boolean }): Promise<void>;
  /** Makes an entry received with `{ durable: false }` durable (a no-op for one already durable). */
  sync(id: string): Promise<void>;
  get(id: string): Promise<InboxEntry | undefined>;
  /** Ends processing. A settled entry is never changed again (answers it as it is). */
  settle(id: string, settlement: InboxSettlement): Promise<InboxEntry | undefined>;
  /** Records an attempt that left the entry pending; `attempts` grows by one. No-op once settled. */
  defer(id: string, deferral: InboxDeferral): Promise<InboxEntry | undefined>;
  /** Pending entries, oldest first. */
  listPending(limit?: number): Promise<InboxEntry[]>;
  /** Pending and settled entries of a connection, newest first (the operator's view). */
  listRecent(connectionId: string, limit?: number): Promise<InboxEntry[]>;
  stats(connectionId: string, since: readonly string[]): Promise<InboxStats>;
  /** Deletes SETTLED entries received before `before` (pending ones are never pruned). Returns how many. */
  prune(before: string): Promise<number>;
  close(): Promise<void>;
}
