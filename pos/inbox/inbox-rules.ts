/** Pure rules every inbox adapter applies: a settled entry never changes again. */
import type { InboxDeferral, InboxEntry, InboxSettlement } from './inbox-store';

export function settleEntry(entry: InboxEntry, settlement: InboxSettlement): InboxEntry {
  if (entry.status !== 'pending') return entry;
  const { nextAttemptAt: _next, ...rest } = entry;
  return {
    ...rest,
    status: settlement.status,
    outcome: settlement.outcome,
    settledAt: settlement.at,
    // A quarantined delivery is the connection's latest error until another one comes.
    ...(settlement.outcome.status === 'quarantined' && {
      lastError: `quarantined (${settlement.outcome.reason})`, lastErrorAt: settlement.at,
    }),
  };
}

export function deferEntry(entry: InboxEntry, deferral: InboxDeferral): InboxEntry {
  if (entry.status !== 'pending') return entry;
  return {
    ...entry,
    attempts: entry.attempts + 1,
    nextAttemptAt: deferral.nextAttemptAt,
    lastError: deferral.error.slice(0, 1000),
    lastErrorAt: deferral.at,
  };
}
