/**
 * Retrying quarantined deliveries after a mapping (or the product catalogue) was fixed.
 * A released item stays as a record of what happened; a retry that still fails keeps the item
 * open with its new reason. Items are retried one after the other (concatMap): retries of
 * tickets touching the same stock never race one another.
 */
import { concatMap, from, lastValueFrom, toArray } from 'rxjs';
import type { QuarantineItem } from '../connections/connection-store';
import { isPayloadError, processAuthentic, type Outcome, type ProcessDeps } from '../processing/process-delivery';

export type RetryResult =
  | { readonly item: QuarantineItem; readonly outcome?: Outcome }
  | { readonly item: undefined };

export async function retryQuarantined(deps: ProcessDeps, id: string): Promise<RetryResult> {
  const item = await deps.store.getQuarantine(id);
  if (!item) return { item: undefined };
  if (item.status === 'released') return { item };
  const at = () => deps.clock().toISOString();
  const connection = await deps.store.getConnection(item.connectionId);
  if (!connection || connection.disabled) {
    const kept = await deps.store.resolveQuarantine(id, {
      status: 'open', at: at(), reason: item.reason, detail: `connection ${item.connectionId} is missing or disabled`,
    });
    return { item: kept ?? item };
  }
  let outcome: Outcome;
  try {
    outcome = await processAuthentic(deps, connection, item.delivery, { retry: true });
  } catch (error) {
    if (!isPayloadError(error)) throw error;
    const kept = await deps.store.resolveQuarantine(id, { status: 'open', at: at(), reason: item.reason, detail: error.message });
    return { item: kept ?? item };
  }
  const resolved = await deps.store.resolveQuarantine(id, outcome.status === 'quarantined'
    ? { status: 'open', at: at(), reason: outcome.reason, detail: outcome.detail }
    : {
      status: 'released', at: at(),
      as: outcome.status === 'ignored' ? 'ignored' : outcome.duplicate ? 'duplicate' : 'applied',
      ...(outcome.status === 'applied' && { position: outcome.position.toString() }),
    });
  return { item: resolved ?? item, outcome };
}

/** Retries every open item (optionally of one connection, or only those `visible`), oldest first. */
export async function retryAllQuarantined(
  deps: ProcessDeps, filter: { connectionId?: string; visible?: (item: QuarantineItem) => Promise<boolean> } = {},
): Promise<QuarantineItem[]> {
  const open = await deps.store.listQuarantine({ status: 'open', ...(filter.connectionId && { connectionId: filter.connectionId }), limit: 1000 });
  return lastValueFrom(from(open).pipe(
    concatMap(async (item) => (!filter.visible || (await filter.visible(item)) ? (await retryQuarantined(deps, item.id)).item : undefined)),
    toArray(),
  )).then((items) => items.filter((i): i is QuarantineItem => i !== undefined));
}
