/**
 * Time as the domain sees it: ISO strings in commands and events, epoch milliseconds inside
 * state (cheap to compare). The clock itself never enters the domain: `now` comes in the command.
 */
import { InvalidCommand } from './errors';

/** How far back a count (or a POS total) may be dated: movements older than this are pruned from state. */
export const HORIZON_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * How long the state remembers an applied idempotency key (a sale, a return, a receipt...),
 * counted from the fact's occurredAt back from the latest recordedAt of the stream. Every
 * legitimate redelivery comes well inside it (offline tills: up to 24 h late; POS webhook
 * retries: days). Older repeats are caught by the event store's deterministic-id dedupe
 * (docs/streams.md, "What bounds what").
 */
export const DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** A count dated slightly in the future is accepted: a handheld's clock may run a little ahead. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function toMillis(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidCommand(`not a timestamp: ${iso}`, 'invalid-timestamp');
  return ms;
}

/** Both timestamps of an event that happens when it is recorded. */
export const stampedAt = (now: string) => ({ occurredAt: now, recordedAt: now });
