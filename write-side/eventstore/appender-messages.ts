/**
 * Messages between `SqliteEventStore` and its appender worker. Errors cross the thread boundary
 * as data and are rebuilt as the port's own error classes, so callers cannot tell the worker
 * from the inline appender.
 */
import { ConcurrencyError, IdempotencyConflictError, type AppendResult, type ExpectedRevision } from './port';
import type { AppendOutcome, AppendRequest } from './sqlite-appender';

export type AppenderRequest =
  | { readonly type: 'batch'; readonly id: number; readonly appends: readonly AppendRequest[] }
  | { readonly type: 'close' };

export type EncodedError =
  | { readonly kind: 'concurrency'; readonly streamId: string; readonly expected: ExpectedRevision; readonly actual: bigint | 'no_stream' }
  | { readonly kind: 'idempotency'; readonly eventId: string }
  | { readonly kind: 'other'; readonly name: string; readonly message: string };

export type EncodedOutcome = { ok: true; result: AppendResult; inserted: boolean } | { ok: false; error: EncodedError };

export type AppenderReply =
  | { readonly type: 'committed'; readonly id: number; readonly outcomes: readonly EncodedOutcome[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  | { readonly type: 'closed' };

export function encodeOutcome(outcome: AppendOutcome): EncodedOutcome {
  if (outcome.ok) return outcome;
  const error = outcome.error;
  if (error instanceof ConcurrencyError) {
    return { ok: false, error: { kind: 'concurrency', streamId: error.streamId, expected: error.expected, actual: error.actual } };
  }
  if (error instanceof IdempotencyConflictError) return { ok: false, error: { kind: 'idempotency', eventId: error.eventId } };
  const e = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { kind: 'other', name: e.name, message: e.message } };
}

export function decodeOutcome(outcome: EncodedOutcome): AppendOutcome {
  if (outcome.ok) return outcome;
  const e = outcome.error;
  switch (e.kind) {
    case 'concurrency': return { ok: false, error: new ConcurrencyError(e.streamId, e.expected, e.actual) };
    case 'idempotency': return { ok: false, error: new IdempotencyConflictError(e.eventId) };
    case 'other': {
      const error = new Error(e.message);
      error.name = e.name;
      return { ok: false, error };
    }
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}
