/**
 * The scheduled pull: every `intervalMs`, the IN_STOCK totals of each active Square connection
 * (`POST /v2/inventory/counts/batch-retrieve`) are reconciled with our balances, exactly like
 * `inventory.count.updated` notifications. A total is an observation: a difference is recorded
 * as PosDiscrepancyRecorded, never applied as a movement. `exhaustMap` drops a tick while the
 * previous run is still going, so runs never overlap.
 */
import { catchError, exhaustMap, from, interval, of, type Subscription } from 'rxjs';
import type { PosConnection } from '../connections/connection-store';
import { DEFAULT_LOCATION_KEY } from '../shopify/shopify-adapter';
import { applyEffect } from '../processing/process-delivery';
import { processDepsOf, type PosDeps } from '../processing/process-deps';
import { countObservations } from '../square/square-adapter';
import { batchRetrieveSquareCounts } from '../square/square-api';

export interface ReconciliationRun {
  readonly connectionId: string;
  readonly reconciled: number;
  readonly skipped: string[];
  readonly error?: string;
  readonly position?: string;
}

export interface ReconciliationJobOptions extends PosDeps {
  readonly intervalMs: number;
  /** Only these connections (default: every active Square connection with API access). */
  readonly connectionIds?: readonly string[];
}

export interface ReconciliationJob {
  /** One run now (also what each tick does). */
  runOnce(): Promise<ReconciliationRun[]>;
  stop(): void;
}

const pullable = (c: PosConnection, only?: readonly string[]) =>
  c.kind === 'square' && !c.disabled && !!c.apiBaseUrl && !!c.accessToken && (!only || only.includes(c.id));

export function startReconciliationJob(options: ReconciliationJobOptions): ReconciliationJob {
  const deps = processDepsOf(options);
  const runOnce = async (): Promise<ReconciliationRun[]> => {
    const runs: ReconciliationRun[] = [];
    for (const connection of (await deps.store.listConnections()).filter((c) => pullable(c, options.connectionIds))) {
      runs.push(await pull(connection));
    }
    return runs;
  };

  async function pull(connection: PosConnection): Promise<ReconciliationRun> {
    const now = deps.clock().toISOString();
    const locations = Object.keys(connection.locationMap).filter((l) => l !== DEFAULT_LOCATION_KEY);
    try {
      const counts = await batchRetrieveSquareCounts(deps.fetchImpl, connection, locations);
      // Items an import mapped (the catalog's derived map) reconcile like hand-mapped ones.
      const mapped = deps.mapping ? await deps.mapping(connection) : connection;
      const { observations, skipped } = countObservations(counts, `pull:${now}`, now, mapped);
      const outcome = await applyEffect(deps, connection, { kind: 'square', rawBody: '' }, {
        kind: 'observation', dedupeKey: `pull:${now}`, observations, skipped,
      });
      return {
        connectionId: connection.id,
        reconciled: outcome.status === 'applied' ? observations.length : 0,
        skipped,
        ...(outcome.status === 'applied' && { position: outcome.position.toString() }),
      };
    } catch (error) {
      options.log?.warn({ connectionId: connection.id, err: (error as Error).message }, 'Square inventory pull failed');
      return { connectionId: connection.id, reconciled: 0, skipped: [], error: (error as Error).message };
    }
  }

  const subscription: Subscription = interval(options.intervalMs).pipe(
    exhaustMap(() => from(runOnce()).pipe(catchError((error: unknown) => {
      options.log?.error({ err: (error as Error).message }, 'reconciliation run failed');
      return of([]);
    }))),
  ).subscribe();
  return { runOnce, stop: () => subscription.unsubscribe() };
}
