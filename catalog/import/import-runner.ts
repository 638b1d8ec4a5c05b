/**
 * Runs catalog imports: phase by phase (`locations`, `catalog`, then `balances` where a phase
 * runner for it is plugged in), page by page. After each page the job (phase, cursor of the next
 * page, counts, problems) is stored durably, so an import that fails or whose process dies
 * resumes at the first page it had not finished. Pages are applied through the catalog's command
 * path, which decides nothing for what is already there: a page done twice, or a second import
 * of the same store, appends no event.
 */
import type { PosConnection, ConnectionStore } from '../../pos/connections/connection-store';
import type { CommandContext, StockCommands } from '../../write-side/commands/types';
import { newId } from '../../write-side/commands/ids';
import type { CatalogService } from '../catalog-service';
import { POS_WINS } from '../domain/product-details';
import { catalogSourceFor, PosApiError, type Page } from '../sources/catalog-source';
import type { CatalogStore, ImportJob, ImportPhase } from '../store/catalog-store';

/** What one page of a phase did. */
export interface PageResult {
  readonly done: number;
  readonly total?: number;
  readonly next?: string;
  readonly counts: Record<string, number>;
  readonly problems: ReadonlyArray<{ item: string; reason: string }>;
  readonly position?: bigint;
}

/** A phase: does one page at `cursor`. Issue 17 plugs `balances` in here. */
export type PhaseRunner = (job: ImportJob, connection: PosConnection, cursor: string | undefined, ctx: CommandContext) => Promise<PageResult>;

export interface ImportRunnerDeps {
  readonly store: CatalogStore;
  readonly connections: ConnectionStore;
  readonly catalog: CatalogService;
  readonly commands: StockCommands;
  readonly fetchImpl?: typeof fetch;
  readonly clock?: () => Date;
  /** Extra phases (e.g. `balances`). */
  readonly phases?: Partial<Record<ImportPhase, PhaseRunner>>;
  /** Attempts per page before the import fails (resumable); default 3, backoff 250 ms doubling. */
  readonly pageAttempts?: number;
  readonly backoffMs?: number;
  readonly log?: (message: string) => void;
}

const MAX_PROBLEMS = 2000;
const ORDER: readonly ImportPhase[] = ['locations', 'catalog', 'balances'];

const add = (into: Record<string, number>, from: Record<string, number>) => {
  const out = { ...into };
  for (const [k, v] of Object.entries(from)) out[k] = (out[k] ?? 0) + v;
  return out;
};

export class ImportRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly clock: () => Date;
  private readonly fetchImpl: typeof fetch;
  private readonly phases: Partial<Record<ImportPhase, PhaseRunner>>;
  private stopped = false;

  constructor(private readonly deps: ImportRunnerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.fetchImpl = deps.fetchImpl ?? fetch;
    this.phases = { locations: this.locationsPage, catalog: this.catalogPage, ...deps.phases };
  }

  supports(phase: ImportPhase): boolean {
    return this.phases[phase] !== undefined;
  }

  /** Stores the job and starts it in the background; the answer does not wait for the pages. */
  async start(connection: PosConnection, request: { scope: readonly ImportPhase[]; asOf?: string; createLocations?: boolean }, actor: string): Promise<ImportJob> {
    catalogSourceFor(connection, this.fetchImpl); // refuses a connection that cannot be imported from, before any job exists
    const scope = ORDER.filter((p) => request.scope.includes(p));
    const now = this.clock().toISOString();
    const job: ImportJob = {
      id: newId(), connectionId: connection.id, scope, asOf: request.asOf ?? now, createLocations: request.createLocations ?? false,
      status: 'running', phase: scope[0]!, progress: { done: 0, total: 0 }, counts: {}, problems: [], startedAt: now, startedBy: actor,
    };
    await this.deps.store.putImport(job);
    this.launch(job);
    return job;
  }

  /** Continues a failed (or interrupted) import from its stored cursor. */
  async resume(id: string): Promise<ImportJob | undefined> {
    const job = await this.deps.store.getImport(id);
    if (!job) return undefined;
    if (job.status === 'done' || this.running.has(id)) return job;
    const { error: _e, ...rest } = job;
    const next: ImportJob = { ...rest, status: 'running' };
    await this.deps.store.putImport(next);
    this.launch(next);
    return next;
  }

  /** After a restart: imports that were running when the process stopped carry on. */
  async resumeInterrupted(): Promise<void> {
    for (const job of await this.deps.store.listImports({ status: 'running' })) this.launch(job);
  }

  /** Waits for an import to stop (tests; shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(job: ImportJob): void {
    if (this.running.has(job.id)) return;
    const run = this.run(job)
      .catch((error: unknown) => this.deps.log?.(`import ${job.id} stopped: ${(error as Error).message}`))
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, run);
  }

  private async run(start: ImportJob): Promise<void> {
    let job = start;
    const ctx: CommandContext = {
      actor: { kind: 'user', id: job.startedBy }, source: 'pos:import', correlationId: `import:${job.id}`, now: this.clock(),
    };
    while (job.phase !== 'done' && !this.stopped) {
      const connection = await this.deps.connections.getConnection(job.connectionId);
      if (!connection || connection.disabled) {
        job = { ...job, status: 'failed', error: `connection ${job.connectionId} is unknown or disabled` };
        await this.deps.store.putImport(job);
        return;
      }
      const phase = job.phase;
      const runner = this.phases[phase];
      let page: PageResult;
      try {
        if (!runner) throw new PosApiError(`the ${phase} import is not available`, false);
        page = await this.withRetries(() => runner(job, connection, job.cursor, { ...ctx, now: this.clock() }));
      } catch (error) {
        job = { ...job, status: 'failed', error: `${phase}${job.cursor ? ` (page after ${job.cursor})` : ''}: ${(error as Error).message}` };
        await this.deps.store.putImport(job);
        return;
      }
      const nextPhase = page.next ? phase : (job.scope[job.scope.indexOf(phase) + 1] ?? 'done');
      const done = job.progress.done + page.done;
      // What is left of this phase: the POS's total where it gives one, else "at least one more page".
      const phaseDone = (job.phaseDone ?? 0) + page.done;
      const remaining = page.total !== undefined ? Math.max(0, page.total - phaseDone) : page.next ? 1 : 0;
      const problems = [...job.problems, ...page.problems].slice(0, MAX_PROBLEMS);
      const { cursor: _c, ...rest } = job;
      const position = page.position && page.position > BigInt(job.position ?? '0') ? page.position.toString() : job.position;
      job = {
        ...rest,
        phase: nextPhase,
        ...(page.next && { cursor: page.next }),
        progress: { done, total: done + (nextPhase === 'done' ? 0 : remaining) },
        phaseDone: nextPhase === phase ? phaseDone : 0,
        counts: add(job.counts, page.counts),
        problems,
        ...(position !== undefined && { position }),
        ...(nextPhase === 'done' && { status: 'done', finishedAt: this.clock().toISOString() }),
      };
      await this.deps.store.putImport(job);
    }
  }

  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    const attempts = this.deps.pageAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const retryable = error instanceof PosApiError && error.retryable;
        if (!retryable || attempt >= attempts || this.stopped) throw error;
        await new Promise((resolve) => setTimeout(resolve, (this.deps.backoffMs ?? 250) * 2 ** (attempt - 1)));
      }
    }
  }

  private readonly locationsPage: PhaseRunner = async (job, connection, cursor, ctx) => {
    const page: Page<{ posLocationId: string; name: string; active: boolean }> = await catalogSourceFor(connection, this.fetchImpl).locations(cursor);
    const counts: Record<string, number> = { locations: page.items.length };
    const problems: Array<{ item: string; reason: string }> = [];
    let map = { ...connection.locationMap };
    let position: bigint | undefined;
    for (const location of page.items) {
      const mapped = Object.hasOwn(map, location.posLocationId) ? map[location.posLocationId] : undefined;
      if (mapped !== undefined) {
        if (await this.deps.commands.locationExists(mapped)) counts['locations.linked'] = (counts['locations.linked'] ?? 0) + 1;
        else problems.push({ item: `location ${location.posLocationId}`, reason: `mapped to ${mapped}, which is not a Stocktide location` });
        continue;
      }
      if (!job.createLocations || !location.active) {
        counts['locations.unmapped'] = (counts['locations.unmapped'] ?? 0) + 1;
        problems.push({ item: `location ${location.posLocationId}`, reason: `${location.name}: mapped to no Stocktide location (listed, not invented)` });
        continue;
      }
      const id = `${connection.id}-${location.posLocationId}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 64);
      const name = location.name.slice(0, 200) || id;
      if (!(await this.deps.commands.locationExists(id))) {
        const r = await this.deps.commands.registerLocation({ id, name, type: 'store' }, ctx);
        position = r.position;
        counts['locations.created'] = (counts['locations.created'] ?? 0) + 1;
      }
      map = { ...map, [location.posLocationId]: id };
    }
    if (Object.keys(map).length !== Object.keys(connection.locationMap).length) {
      await this.deps.connections.replaceConnection({ ...connection, locationMap: map, updatedAt: this.clock().toISOString() });
    }
    return { done: page.items.length, counts, problems, ...(page.next && { next: page.next }), ...(position !== undefined && { position }) };
  };

  private readonly catalogPage: PhaseRunner = async (job, connection, cursor, ctx) => {
    const page = await catalogSourceFor(connection, this.fetchImpl).items(cursor);
    const settings = await this.deps.store.getSettings(connection.id);
    const report = await this.deps.catalog.syncItems(connection.id, page.items, settings?.policy ?? POS_WINS, ctx);
    const counts = Object.fromEntries(Object.entries(report.counts).map(([k, v]) => [`catalog.${k}`, v]));
    return {
      done: page.items.length, counts, problems: report.problems,
      ...(page.total !== undefined && { total: page.total }), ...(page.next && { next: page.next }),
      ...(report.position > 0n && { position: report.position }),
    };
  };
}
