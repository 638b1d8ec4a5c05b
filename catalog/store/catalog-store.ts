/**
 * The catalog store port: import jobs (their cursor, counts and problems, kept durably so an
 * import resumes where it stopped), small per-connection settings (the detail policy, the last
 * Square catalog time seen, whether products are pushed), product push jobs and the pusher's
 * cursors in the log. Not events: re-running an import must append nothing.
 * Adapters: SQLite (`${dataDir}/catalog.sqlite`), MongoDB and PostgreSQL; one contract suite.
 */
import type { DetailPolicy } from '../domain/product-details';
import type { ProductPushJob, ProductPushStatus, ProductPushUpdate } from '../push/product-push-job';

export type ImportPhase = 'locations' | 'catalog' | 'balances';

export interface ImportJob {
  readonly id: string;
  readonly connectionId: string;
  readonly scope: readonly ImportPhase[];
  /** Cut-over instant T of opening balances. */
  readonly asOf: string;
  readonly createLocations: boolean;
  readonly status: 'running' | 'done' | 'failed';
  /** The phase being worked on, and the cursor of its next page (absent: its first page). */
  readonly phase: ImportPhase | 'done';
  readonly cursor?: string;
  readonly progress: { done: number; total: number };
  /** Items done in the current phase (progress against the POS's own total). */
  readonly phaseDone?: number;
  readonly counts: Record<string, number>;
  readonly problems: ReadonlyArray<{ item: string; reason: string }>;
  readonly error?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly startedBy: string;
  /** Position of the last event the import appended (read your writes). */
  readonly position?: string;
}

export interface ConnectionCatalogSettings {
  readonly policy: DetailPolicy;
  /** Square: `latest_time` of the last catalog search (live sync asks for changes since). */
  readonly squareCatalogTime?: string;
  /** Products created or changed in Stocktide are pushed to this connection (admin's choice; default no). */
  readonly productPush?: boolean;
}

export interface CatalogStore {
  putImport(job: ImportJob): Promise<void>;
  getImport(id: string): Promise<ImportJob | undefined>;
  /** Newest first. */
  listImports(filter?: { connectionId?: string; status?: ImportJob['status'] }): Promise<ImportJob[]>;
  getSettings(connectionId: string): Promise<ConnectionCatalogSettings | undefined>;
  putSettings(connectionId: string, settings: ConnectionCatalogSettings): Promise<void>;

  /** Inserts the job, or coalesces it into the stored one (`coalesceProductPush`); answers the stored job. */
  upsertProductPush(job: ProductPushJob): Promise<ProductPushJob>;
  getProductPush(id: string): Promise<ProductPushJob | undefined>;
  /** Applies the update; answers the new job, undefined when there is none. */
  updateProductPush(id: string, update: ProductPushUpdate): Promise<ProductPushJob | undefined>;
  /** Pending jobs due at `now`, soonest first. */
  dueProductPushes(now: string, limit: number): Promise<ProductPushJob[]>;
  /** Newest first (default 100). */
  listProductPushes(filter?: { connectionId?: string; status?: ProductPushStatus; limit?: number }): Promise<ProductPushJob[]>;

  /** A named position in the event log (the product pusher's, per connection). */
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string): Promise<void>;

  close(): Promise<void>;
}
