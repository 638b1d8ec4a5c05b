/**
 * The catalog store port: import jobs (their cursor, counts and problems, kept durably so an
 * import resumes where it stopped) and small per-connection settings (the detail policy, the
 * last Square catalog time seen). Not events: re-running an import must append nothing.
 * Adapters: SQLite (`${dataDir}/catalog.sqlite`), MongoDB and PostgreSQL; one contract suite.
 */
import type { DetailPolicy } from '../domain/product-details';

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
}

export interface CatalogStore {
  putImport(job: ImportJob): Promise<void>;
  getImport(id: string): Promise<ImportJob | undefined>;
  /** Newest first. */
  listImports(filter?: { connectionId?: string; status?: ImportJob['status'] }): Promise<ImportJob[]>;
  getSettings(connectionId: string): Promise<ConnectionCatalogSettings | undefined>;
  putSettings(connectionId: string, settings: ConnectionCatalogSettings): Promise<void>;
  close(): Promise<void>;
}
