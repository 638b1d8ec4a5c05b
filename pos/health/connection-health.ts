/**
 * A connection's health, from its inbox and its quarantine: when it last delivered, how much in
 * the last hour, what is kept (quarantined, pending), the last error, test deliveries, and the
 * alert that matters most: a till that usually delivers and has gone silent (stock then drifts
 * without anyone noticing). Pure: the numbers and the clock come in.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { ConnectionHealthView } from '../../schemas/pos';
import type { ConnectionStore, PosConnection } from '../connections/connection-store';
import type { InboxStats, InboxStore } from '../inbox/inbox-store';

export type ConnectionHealth = FromSchema<typeof ConnectionHealthView>;

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** "Usually delivers": at least this many deliveries in the last 7 days. */
export const USUAL_WEEKLY_DELIVERIES = 5;
/** Quarantine items counted per connection (the count shows "at least" beyond it). */
const QUARANTINE_COUNT_LIMIT = 1000;

export function healthOf(
  connection: PosConnection, stats: InboxStats, quarantined: number, now: Date, silentAfterMinutes: number,
): ConnectionHealth {
  const [lastHour = 0, lastWeek = 0] = stats.receivedSince;
  const silentForMs = stats.lastReceivedAt ? now.getTime() - Date.parse(stats.lastReceivedAt) : undefined;
  const silent = !connection.disabled && lastWeek >= USUAL_WEEKLY_DELIVERIES
    && silentForMs !== undefined && silentForMs >= silentAfterMinutes * 60_000;
  return {
    connectionId: connection.id,
    kind: connection.kind,
    disabled: connection.disabled,
    ...(stats.lastReceivedAt && { lastDeliveryAt: stats.lastReceivedAt }),
    deliveriesLastHour: lastHour,
    deliveriesLastWeek: lastWeek,
    quarantined,
    pending: stats.pending,
    testDeliveries: stats.tests,
    ...(stats.lastTestAt && { lastTestAt: stats.lastTestAt }),
    ...(stats.lastError && { lastError: stats.lastError }),
    silent,
    ...(silent && {
      alert: `no delivery for ${Math.floor(silentForMs! / 60_000)} min (usually ${lastWeek} in 7 days): is the till or its webhook subscription still there?`,
    }),
  };
}

export async function loadHealth(
  deps: { connections: ConnectionStore; inbox: InboxStore; clock: () => Date; silentAfterMinutes: number }, connection: PosConnection,
): Promise<ConnectionHealth> {
  const now = deps.clock();
  const stats = await deps.inbox.stats(connection.id, [
    new Date(now.getTime() - HOUR_MS).toISOString(), new Date(now.getTime() - WEEK_MS).toISOString(),
  ]);
  const open = await deps.connections.listQuarantine({ status: 'open', connectionId: connection.id, limit: QUARANTINE_COUNT_LIMIT });
  return healthOf(connection, stats, open.length, now, deps.silentAfterMinutes);
}
