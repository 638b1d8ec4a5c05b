/**
 * The behaviour every EventStore adapter must show (STYLE.md #4: one port, one contract suite).
 * Call it from an adapter's `*.int.spec.ts`; it declares vitest tests.
 *
 * The suite never assumes an empty log (a real EventStoreDB keeps earlier runs): each test works
 * on streams with a fresh random prefix and looks at the global log only after a position it
 * read first, filtered to its own streams.
 */
import fc from 'fast-check';
import { filter, firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { v4 as uuid } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConcurrencyError, IdempotencyConflictError,
  type AppendResult, type EventStore, type EventToAppend, type ExpectedRevision, type RecordedEvent,
} from './port';

export interface EventStoreContractOptions {
  /**
   * true (default): re-appending stored ids answers the original result whatever the expected
   * revision, and an id re-used with other content raises IdempotencyConflictError (embedded).
   * false: only a retry with the same expected revision is checked (EventStoreDB's idempotency
   * is a best-effort cache and it has no notion of a conflicting re-use).
   */
  readonly exactIdempotency?: boolean;
  /** fast-check runs of the interleaving property. Default 20. */
  readonly propertyRuns?: number;
  /** Events written before and during a catch-up subscription. Default 7000 + 1000. */
  readonly seamEvents?: { readonly before: number; readonly during: number };
}

const metadata = { actor: { kind: 'system', id: 'contract' }, source: 'system', correlationId: 'contract' } as const;

export const testEvent = (data: Record<string, unknown> = {}, type = 'ContractTested'): EventToAppend => ({
  id: uuid(), type, data, metadata,
});

const events = (n: number, data: (i: number) => Record<string, unknown> = (i) => ({ i })) =>
  Array.from({ length: n }, (_, i) => testEvent(data(i)));

/** Every event of the log after `after`, page by page. */
export async function readAllAfter(store: EventStore, after: bigint, page = 500): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let from = after;
  for (;;) {
    const batch = await store.readAll({ after: from, maxCount: page });
    out.push(...batch);
    if (batch.length < page) return out;
    from = batch[batch.length - 1]!.position;
  }
}

const collect = (source: Observable<RecordedEvent>, prefix: string, count: number) =>
  firstValueFrom(source.pipe(filter((e) => e.streamId.startsWith(prefix)), take(count), toArray()));

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(() => new Error('expected a rejection, got success'), (error: unknown) => error);

export function eventStoreContract(name: string, open: () => Promise<EventStore>, opts: EventStoreContractOptions = {}): void {
  const exact = opts.exactIdempotency ?? true;
  const seam = opts.seamEvents ?? { before: 7000, during: 1000 };

  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    const stream = (s: string) => `${prefix}-${s}`;

    beforeEach(async () => {
      store = await open();
      prefix = `ct${uuid().slice(0, 8)}`;
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append and read', () => {
      it('given no stream, when appending with no_stream, then revisions start at 0 and the result points at the last event', async () => {
        const result = await store.append(stream('a'), events(3), 'no_stream');
        const read = await store.readStream(stream('a'));
        expect(result.nextRevision).toBe(2n);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read[2]!.position).toBe(result.position);
        expect(read.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
        expect(read[0]!.metadata).toEqual(metadata);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('given a missing stream, when reading it, then it is empty', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('given a stream, when reading from a revision with a max count, then only that slice comes back', async () => {
        await store.append(stream('a'), events(5), 'no_stream');
        const slice = await store.readStream(stream('a'), { fromRevision: 2n, maxCount: 2 });
        expect(slice.map((e) => [e.revision, e.data])).toEqual([[2n, { i: 2 }], [3n, { i: 3 }]]);
      });

      it('given events in several streams, when reading all after a position, then only later events come, positions strictly growing', async () => {
        const start = await store.headPosition();
        const first = await store.append(stream('a'), events(2), 'no_stream');
        await store.append(stream('b'), events(2), 'no_stream');
        await store.append(stream('a'), events(1), 1n);
        const all = (await readAllAfter(store, start)).filter((e) => e.streamId.startsWith(prefix));
        expect(all.map((e) => `${e.streamId.slice(prefix.length)}@${e.revision}`)).toEqual(['-a@0', '-a@1', '-b@0', '-b@1', '-a@2']);
        all.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(all[i]!.position));
        const later = (await readAllAfter(store, first.position)).filter((e) => e.streamId.startsWith(prefix));
        expect(later.map((e) => e.streamId)).toEqual([stream('b'), stream('b'), stream('a')]);
      });

      it('given a long log, when reading all with a max count, then pages chain without gap or overlap', async () => {
        const start = await store.headPosition();
        await store.append(stream('a'), events(25), 'no_stream');
        const paged = (await readAllAfter(store, start, 7)).filter((e) => e.streamId === stream('a'));
        expect(paged.map((e) => e.revision)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i)));
      });
    });

    describe('expected revision', () => {
      const cases: Array<[string, (s: EventStore, id: string) => Promise<unknown>, ExpectedRevision, boolean]> = [
        ['no_stream on a missing stream', async () => undefined, 'no_stream', true],
        ['no_stream on an existing stream', (s, id) => s.append(id, events(1), 'no_stream'), 'no_stream', false],
        ['stream_exists on a missing stream', async () => undefined, 'stream_exists', false],
        ['stream_exists on an existing stream', (s, id) => s.append(id, events(1), 'no_stream'), 'stream_exists', true],
        ['any on a missing stream', async () => undefined, 'any', true],
        ['any on an existing stream', (s, id) => s.append(id, events(1), 'no_stream'), 'any', true],
        ['the exact revision', (s, id) => s.append(id, events(2), 'no_stream'), 1n, true],
        ['a stale revision', (s, id) => s.append(id, events(2), 'no_stream'), 0n, false],
        ['a revision ahead', (s, id) => s.append(id, events(2), 'no_stream'), 5n, false],
        ['revision 0 on a missing stream', async () => undefined, 0n, false],
      ];
      it.each(cases)('when appending with %s', async (_label, given, expected, accepted) => {
        const id = stream('r');
        await given(store, id);
        const before = await store.readStream(id);
        const attempt = store.append(id, events(1), expected);
        if (accepted) {
          const result = await attempt;
          expect(result.nextRevision).toBe(BigInt(before.length));
          expect(await store.readStream(id)).toHaveLength(before.length + 1);
        } else {
          const error = await rejectionOf(attempt);
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect((error as ConcurrencyError).streamId).toBe(id);
          expect(await store.readStream(id)).toEqual(before);
        }
      });

      it('given concurrent appends with the same expected revision, then exactly one wins', async () => {
        const id = stream('race');
        await store.append(id, events(1), 'no_stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.append(id, events(1, () => ({ racer: i })), 0n)));
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        losers.forEach((o) => expect(o.reason).toBeInstanceOf(ConcurrencyError));
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('given concurrent no_stream appends to one new stream, then exactly one creates it', async () => {
        const id = stream('create');
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => store.append(id, events(2), 'no_stream')));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describe('idempotency on event id', () => {
      it('given an acknowledged append, when the same events are re-appended with the same expected revision, then the original result comes back and nothing new is stored', async () => {
        const batch = events(3);
        const original = await store.append(stream('a'), batch, 'no_stream');
        const head = await store.headPosition();
        const again = await store.append(stream('a'), batch, 'no_stream');
        expect(again.nextRevision).toBe(original.nextRevision);
        if (exact) expect(again.position).toBe(original.position);
        expect((await store.readStream(stream('a'))).map((e) => e.id)).toEqual(batch.map((e) => e.id));
        if (exact) expect(await store.headPosition()).toBe(head);
      });

      it.runIf(exact)('given the stream moved on, when an old append is retried with any or its stale revision, then it answers the original result', async () => {
        const batch = events(2);
        const original = await store.append(stream('a'), batch, 'no_stream');
        await store.append(stream('a'), events(2), 1n);
        const retries = [
          await store.append(stream('a'), batch, 'any'),
          await store.append(stream('a'), batch, 'no_stream'),
          await store.append(stream('a'), batch, 7n),
        ];
        retries.forEach((r) => expect(r).toEqual(original));
        expect(await store.readStream(stream('a'))).toHaveLength(4);
      });

      it.runIf(exact)('given a retry and a new append in one group commit, then the retry stores nothing and the new append is stored once', async () => {
        const batch = events(2);
        const original = await store.append(stream('a'), batch, 'no_stream');
        const [retry, fresh] = await Promise.all([
          store.append(stream('a'), batch, 'any'),
          store.append(stream('a'), events(1), 'any'),
        ]);
        expect(retry).toEqual(original);
        expect(fresh.nextRevision).toBe(2n);
        expect(await store.readStream(stream('a'))).toHaveLength(3);
      });

      it.runIf(exact)('given an id stored, when it is re-used with other data, another type or another stream, then IdempotencyConflictError and nothing stored', async () => {
        const event = testEvent({ sku: 'A', quantity: 1 });
        await store.append(stream('a'), [event], 'no_stream');
        const head = await store.headPosition();
        const attempts = [
          store.append(stream('a'), [{ ...event, data: { sku: 'A', quantity: 2 } }], 'any'),
          store.append(stream('a'), [{ ...event, type: 'OtherType' }], 'any'),
          store.append(stream('b'), [event], 'any'),
          store.append(stream('a'), [event, testEvent()], 'any'),
          store.append(stream('c'), [testEvent(), event], 'no_stream'),
        ];
        for (const attempt of attempts) expect(await rejectionOf(attempt)).toBeInstanceOf(IdempotencyConflictError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream('c'))).toEqual([]);
      });

      it.runIf(exact)('given one id twice in a single append, then the append is refused', async () => {
        const event = testEvent();
        expect(await rejectionOf(store.append(stream('a'), [event, event], 'no_stream'))).toBeInstanceOf(Error);
        expect(await store.readStream(stream('a'))).toEqual([]);
      });
    });

    describe('group commit', () => {
      it('given 200 concurrent appends to different streams, then all succeed and all are readable', async () => {
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(stream(`g${i}`), events(1, () => ({ i })), 'no_stream')));
        expect(new Set(results.map((r) => r.position)).size).toBe(200);
        for (let i = 0; i < 200; i += 1) {
          const read = await store.readStream(stream(`g${i}`));
          expect(read.map((e) => e.data)).toEqual([{ i }]);
        }
      });

      it('given a failing append among concurrent neighbours, then the neighbours are stored and only it fails', async () => {
        await store.append(stream('taken'), events(1), 'no_stream');
        const outcomes = await Promise.allSettled([
          store.append(stream('n1'), events(2), 'no_stream'),
          store.append(stream('taken'), events(1), 'no_stream'),
          store.append(stream('n2'), events(3), 'no_stream'),
          store.append(stream('taken'), events(1), 0n),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream(stream('n1'))).toHaveLength(2);
        expect(await store.readStream(stream('n2'))).toHaveLength(3);
        expect(await store.readStream(stream('taken'))).toHaveLength(2);
      });
    });

    describe('subscribe', () => {
      it('given events before and during catch-up, then the subscriber sees each exactly once in log order, then live ones', async () => {
        const start = await store.headPosition();
        for (let i = 0; i < seam.before; i += 100) await store.append(stream('before'), events(Math.min(100, seam.before - i)), 'any');
        const total = seam.before + seam.during + 5;
        const seen = collect(store.subscribe(start), prefix, total);
        // Appended while the subscriber is still catching up: four sequential chains, so commits
        // keep landing between catch-up pages instead of in one group commit.
        await Promise.all([0, 1, 2, 3].map(async (chain) => {
          for (let i = chain; i < seam.during; i += 4) await store.append(stream(`during${chain}`), events(1), 'any');
        }));
        await store.append(stream('live'), events(5), 'no_stream');
        const received = await seen;
        const log = (await readAllAfter(store, start)).filter((e) => e.streamId.startsWith(prefix));
        expect(log).toHaveLength(total);
        expect(received.map((e) => e.id)).toEqual(log.map((e) => e.id));
        expect(received.map((e) => e.position)).toEqual(log.map((e) => e.position));
      });

      it('given a position, when subscribing after it, then nothing at or before it is delivered', async () => {
        await store.append(stream('a'), events(3), 'no_stream');
        const cut = (await store.readStream(stream('a')))[1]!.position;
        const seen = collect(store.subscribe(cut), prefix, 2);
        await store.append(stream('a'), events(1), 2n);
        expect((await seen).map((e) => e.revision)).toEqual([2n, 3n]);
      });

      it('given two subscribers, then they see identical sequences', async () => {
        const start = await store.headPosition();
        await store.append(stream('x'), events(50), 'no_stream');
        const one = collect(store.subscribe(start), prefix, 250);
        const two = collect(store.subscribe(start), prefix, 250);
        await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(stream(`y${i % 5}`), events(1), 'any')));
        const [a, b] = await Promise.all([one, two]);
        expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
        expect(new Set(a.map((e) => e.id)).size).toBe(250);
      });
    });

    describe('property: random interleavings', () => {
      const op = fc.record({
        stream: fc.integer({ min: 0, max: 3 }),
        count: fc.integer({ min: 1, max: 3 }),
        expectation: fc.constantFrom('any', 'exact', 'wrong', 'no_stream', 'stream_exists'),
      });
      it('readAll gives each stream in revision order and exactly the acknowledged events', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), async (rounds) => {
            const run = `${prefix}-${uuid().slice(0, 6)}`;
            const start = await store.headPosition();
            const acknowledged = new Set<string>();
            const lastOfAppend = new Map<string, AppendResult>();
            for (const round of rounds) {
              // Each round's appends are issued together and race inside one group commit.
              const lengths = await Promise.all([0, 1, 2, 3].map(async (s) => (await store.readStream(`${run}-${s}`)).length));
              await Promise.allSettled(round.map(async ({ stream: s, count, expectation }) => {
                const batch = events(count, (i) => ({ s, i }));
                const len = lengths[s]!;
                const expected: ExpectedRevision = expectation === 'exact' ? (len === 0 ? 'no_stream' : BigInt(len - 1))
                  : expectation === 'wrong' ? BigInt(len + 1) : expectation;
                const result = await store.append(`${run}-${s}`, batch, expected);
                batch.forEach((e) => acknowledged.add(e.id));
                lastOfAppend.set(batch[batch.length - 1]!.id, result);
              }));
            }
            const log = (await readAllAfter(store, start)).filter((e) => e.streamId.startsWith(run));
            expect(new Set(log.map((e) => e.id))).toEqual(acknowledged);
            for (const e of log) {
              const result = lastOfAppend.get(e.id);
              if (result) expect({ nextRevision: e.revision, position: e.position }).toEqual(result);
            }
            expect(log).toHaveLength(acknowledged.size);
            log.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(log[i]!.position));
            for (let s = 0; s < 4; s += 1) {
              const revisions = log.filter((e) => e.streamId === `${run}-${s}`).map((e) => e.revision);
              expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
            }
          }),
          { numRuns: opts.propertyRuns ?? 20 },
        );
      });
    });
  });
}
