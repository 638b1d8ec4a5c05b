/**
 * Decide-and-append for capabilities whose every decision reads one stream only (a poll, a
 * feedback item): read the stream, fold it, decide with the pure domain, validate the events
 * against the registry and append them with the stream's expected revision. A concurrent
 * append to the same stream makes the append fail; the decision is then made again on the
 * new state (bounded), so a rule such as "one answer per person" cannot be raced.
 */
import type { EventMetadata } from '../../schemas/types';
import { assertValidEvent } from '../../schemas/validation';
import { ConcurrencyError, type EventStore } from '../eventstore/port';
import { newId } from './ids';

export interface StreamDecider<C, S, E extends { type: string; data: object }> {
  initial(): S;
  evolve(state: S, event: E): S;
  /** Pure: [] means "already so" (an idempotent repeat). Throws a DomainError to refuse. */
  decide(command: C, state: S): E[];
}

export interface StreamDecision<E> {
  /** Position of the last appended event, or of the stream's last event when nothing was appended. */
  readonly position: bigint;
  readonly events: readonly E[];
  readonly duplicate: boolean;
}

export async function decideOnStream<C, S, E extends { type: string; data: object }>(
  eventStore: EventStore, streamId: string, decider: StreamDecider<C, S, E>, command: C, metadata: EventMetadata | ((events: readonly E[]) => EventMetadata), maxAttempts = 10,
): Promise<StreamDecision<E>> {
  for (let attempt = 1; ; attempt += 1) {
    const recorded = await eventStore.readStream(streamId);
    const state = recorded.reduce((s, r) => decider.evolve(s, { type: r.type, data: r.data } as E), decider.initial());
    const events = decider.decide(command, state);
    const last = recorded.at(-1);
    if (events.length === 0) return { position: last?.position ?? 0n, events, duplicate: true };
    // Metadata may depend on the decision (an anonymous answer must not name its author).
    const meta = typeof metadata === 'function' ? metadata(events) : metadata;
    const toAppend = events.map((e) => {
      assertValidEvent(e.type, e.data, meta);
      return { id: newId(), type: e.type, data: e.data as Record<string, unknown>, metadata: meta };
    });
    try {
      const { position } = await eventStore.append(streamId, toAppend, last ? last.revision : 'no_stream');
      return { position, events, duplicate: false };
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < maxAttempts) continue;
      throw error;
    }
  }
}
