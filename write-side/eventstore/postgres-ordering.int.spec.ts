/**
 * The global position never lets a subscriber skip a late commit (docs/postgres.md, "Ordering").
 *
 * A log numbered by a sequence hands out positions at INSERT time but makes them visible at
 * COMMIT time, so a reader that saw position 2 and moved on never comes back for a position 1
 * that commits later. The control test shows that failure on a plain bigserial table with the
 * very same reader; the store's own appends are serialized by an advisory lock and pass both
 * the deterministic interleaving and 16 concurrent appenders that sleep inside their
 * transactions while a live subscriber runs.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { testEvent } from './event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

reportPostgresSkip('the event ordering test');

const APPENDERS = 16;
const APPENDS_EACH = 12;

describe.runIf(Boolean(testDatabaseUrl))('PostgreSQL event log ordering', () => {
  const schema = freshSchema();
  let store: PostgresEventStore;
  const clients: pg.Client[] = [];

  const client = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
    await c.connect();
    clients.push(c);
    return c;
  };

  /** One append through the store's own SQL function, inside a transaction the test holds open. */
  const appendSlowly = async (c: pg.Client, stream: string, sleepMs: number, commit: Promise<void> = Promise.resolve()) => {
    const event = testEvent({ stream });
    await c.query('BEGIN');
    const payload = JSON.stringify([{ stream, expected: 'any', events: [event] }]);
    const { rows } = await c.query<{ o: Array<{ ok: boolean; position: number }> }>('SELECT append_events($1::jsonb) AS o', [payload]);
    await c.query('SELECT pg_sleep($1)', [sleepMs / 1000]);
    await commit;
    await c.query('COMMIT');
    return { id: event.id, position: BigInt(rows[0]!.o[0]!.position) };
  };

  beforeAll(async () => {
    store = await PostgresEventStore.open({ url: testDatabaseUrl!, schema, pollMs: 200 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await store?.close();
    await dropSchema(schema);
  });

  it('control: on a plain bigserial log, a reader that saw position 2 never sees the position 1 that committed after it', async () => {
    const a = await client();
    const b = await client();
    const reader = await client();
    await reader.query('CREATE TABLE naive_log (position bigserial PRIMARY KEY, id text NOT NULL)');
    await a.query('BEGIN');
    await a.query("INSERT INTO naive_log (id) VALUES ('first')"); // takes position 1, not committed yet
    await b.query("INSERT INTO naive_log (id) VALUES ('second')"); // position 2, autocommitted
    const seen = (await reader.query<{ position: string; id: string }>('SELECT * FROM naive_log WHERE position > 0 ORDER BY position')).rows;
    expect(seen.map((r) => r.id)).toEqual(['second']);
    await a.query('COMMIT');
    const after = (await reader.query<{ id: string }>('SELECT * FROM naive_log WHERE position > $1 ORDER BY position', [seen[0]!.position])).rows;
    expect(after).toEqual([]); // 'first' is committed, yet this reader has skipped it for good
  });

  it('given an append held open, when a second append arrives, then it waits and takes the next position after the first commits', async () => {
    const a = await client();
    const b = await client();
    const start = await store.headPosition();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = appendSlowly(a, `hold-${randomUUID()}`, 0, held);
    await new Promise((r) => setTimeout(r, 50)); // the first one holds the lock now
    const second = appendSlowly(b, `late-${randomUUID()}`, 0);
    await new Promise((r) => setTimeout(r, 100));
    const visible = (await store.readAll({ after: start })).map((e) => e.position);
    expect(visible).toEqual([]); // the second waits on the lock instead of committing past the first
    release();
    const [one, two] = await Promise.all([first, second]);
    expect(two.position).toBe(one.position + 1n);
  });

  it(`given ${APPENDERS} appenders that sleep inside their transactions, then a live subscriber sees every event exactly once, in order, none skipped`, async () => {
    const start = await store.headPosition();
    const total = APPENDERS * APPENDS_EACH + APPENDERS;
    const received = firstValueFrom(store.subscribe(start).pipe(
      filter((e) => e.streamId.startsWith('soak-')), take(total), toArray()));
    const appenders = await Promise.all(Array.from({ length: APPENDERS }, () => client()));
    const acknowledged: Array<{ id: string; position: bigint }> = [];
    await Promise.all([
      ...appenders.map(async (c, i) => {
        for (let n = 0; n < APPENDS_EACH; n += 1) {
          acknowledged.push(await appendSlowly(c, `soak-${i}`, Math.random() * 15));
        }
      }),
      // and the store's own group commit at the same time
      ...Array.from({ length: APPENDERS }, async (_, i) => {
        const event = testEvent({ i });
        const result = await store.append(`soak-group-${i}`, [event], 'any');
        acknowledged.push({ id: event.id, position: result.position });
      }),
    ]);
    const events = await received;
    const byPosition = [...acknowledged].sort((x, y) => (x.position < y.position ? -1 : 1));
    expect(events.map((e) => e.id)).toEqual(byPosition.map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(total);
    events.slice(1).forEach((e, i) => expect(e.position).toBe(events[i]!.position + 1n)); // gapless, in order
  });
});
