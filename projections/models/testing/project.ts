/**
 * A test harness for the read models: applies recorded events through a Map-backed unit of
 * work and answers the resulting documents and emitted changes, without the runner.
 *
 *   const result = await project(projections, recorded(
 *     ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [...] }, '2026-01-01T10:00:00Z'),
 *   ));
 *   result.doc('stock', 'A|SKU-1'); result.changes; await result.store();
 */
import { assertValidEvent } from '../../../schemas/validation';
import type { EventMetadata, EventType } from '../../../schemas/types';
import type { RecordedEvent } from '../../../write-side/eventstore/port';
import { MemoryReadStore } from '../../readstore/memory-read-store';
import type { Doc, ReadStore } from '../../readstore/port';
import type { Projection, ReadModelChange, UnitOfWork } from '../../runner/projection';

export const testMetadata: EventMetadata = {
  actor: { kind: 'user', id: 'alice' },
  source: 'api',
  correlationId: 'corr-1',
};

export interface EventSpec {
  readonly type: EventType;
  readonly data: Record<string, unknown>;
  readonly streamId?: string;
  readonly metadata?: EventMetadata;
}

/**
 * An event with its times: `recordedAt` defaults to `occurredAt` (a late event passes both).
 * Data is checked against the event schema when `recorded()` builds the events (a static
 * type per event type made the compiler give up: json-schema-to-ts types are deep).
 */
export function ev(
  type: EventType,
  data: Record<string, unknown>,
  occurredAt: string,
  options: { recordedAt?: string; streamId?: string; metadata?: EventMetadata } = {},
): EventSpec {
  return {
    type,
    data: { ...data, occurredAt, recordedAt: options.recordedAt ?? occurredAt },
    ...(options.streamId ? { streamId: options.streamId } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
}

function defaultStream(spec: EventSpec): string {
  const d = spec.data as Record<string, string>;
  if (spec.type === 'TransferReceived') return `location-${d.toLocationId}`;
  if (d.fromLocationId) return `location-${d.fromLocationId}`;
  if (d.locationId) return `location-${d.locationId}`;
  return d.sku ? `product-${d.sku}` : 'catalog';
}

/** Recorded events at positions 1..n (validated against the event schemas). */
export function recorded(...specs: EventSpec[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return specs.map((spec, index) => {
    const metadata = spec.metadata ?? testMetadata;
    assertValidEvent(spec.type, spec.data, metadata);
    const streamId = spec.streamId ?? defaultStream(spec);
    const revision = revisions.get(streamId) ?? 0n;
    revisions.set(streamId, revision + 1n);
    return { id: `event-${index + 1}`, streamId, revision, position: BigInt(index + 1), type: spec.type, data: spec.data, metadata };
  });
}

export interface Projected {
  readonly changes: ReadModelChange[];
  /** Documents of a collection, sorted by `_id`. */
  docs<T extends Doc = Doc>(collection: string): T[];
  doc<T extends Doc = Doc>(collection: string, id: string): T | undefined;
  /** A MemoryReadStore holding the documents, for query tests. */
  store(): Promise<ReadStore>;
}

/** Applies every event to every projection, one unit of work per event. */
export async function project(projections: readonly Projection[], events: readonly RecordedEvent[]): Promise<Projected> {
  const collections = new Map<string, Map<string, Doc>>();
  const changes: ReadModelChange[] = [];
  const collection = (name: string): Map<string, Doc> => {
    let docs = collections.get(name);
    if (!docs) collections.set(name, (docs = new Map()));
    return docs;
  };
  // Documents are copied in and out, as a real store would, so projections cannot share references.
  const copy = <T>(value: T): T => structuredClone(value);
  const uow: UnitOfWork = {
    async get<T extends Doc>(name: string, id: string) {
      const doc = collection(name).get(id);
      return doc === undefined ? undefined : (copy(doc) as T);
    },
    put: (name, doc) => void collection(name).set(doc._id, copy(doc)),
    delete: (name, id) => void collection(name).delete(id),
    emit: (change) => void changes.push(change),
  };
  for (const event of events) for (const projection of projections) await projection.apply(event, uow);
  const docs = <T extends Doc>(name: string): T[] =>
    [...collection(name).values()].map((d) => copy(d) as T).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  return {
    changes,
    docs,
    doc: <T extends Doc>(name: string, id: string) => {
      const d = collection(name).get(id);
      return d === undefined ? undefined : (copy(d) as T);
    },
    async store() {
      const store = new MemoryReadStore();
      const last = events.at(-1)?.position ?? 0n;
      const writes = [...collections.entries()].flatMap(([name, map]) => [...map.values()].map((doc) => ({ op: 'put' as const, collection: name, doc })));
      await store.commit('test', writes, last > 0n ? last : 1n);
      return store;
    },
  };
}
