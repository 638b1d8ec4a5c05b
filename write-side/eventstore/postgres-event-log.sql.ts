/**
 * The event log's schema on PostgreSQL (component `eventstore`, see storage/postgres.ts).
 *
 * Ordering decision (docs/postgres.md): every append transaction first takes ONE
 * transaction-scoped advisory lock per schema and only then reads the head and writes. So
 * appends commit one after another and positions are handed out in commit order: when a
 * reader sees position N, every position below N is already committed and visible. A
 * catch-up subscriber reading "position > last" therefore never skips an event that commits
 * late (the classic sequence gap of bigserial logs). Positions are gapless: the next one is
 * max(position) + 1, read under the lock.
 *
 * `append_events(batch)` runs a whole group commit (many appends from one process) in one
 * round trip and one transaction; each append's outcome is its own (a concurrency error or an
 * idempotent replay never undoes its neighbours): every check runs before its single INSERT,
 * and nothing else can write in between because of the lock.
 */
import type { Migration } from '../../storage/postgres';

export const EVENT_LOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table and append_events()',
    sql: `
CREATE TABLE events (
  position    bigint      PRIMARY KEY,
  id          text        NOT NULL UNIQUE,
  stream_id   text        NOT NULL,
  revision    bigint      NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, revision)
);

-- batch: [{"stream": text, "expected": "any"|"no_stream"|"stream_exists"|"<revision>",
--          "events": [{"id","type","data","metadata"}]}]
-- answers, per append in order: {"ok":true,"revision":r,"position":p}
--   | {"ok":false,"error":"concurrency","actual":r|null} | {"ok":false,"error":"idempotency","id":id}
CREATE FUNCTION append_events(batch jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a        jsonb;
  outcomes jsonb := '[]'::jsonb;
  head     bigint;
  expected text;
  n        integer;
  stored   integer;
  first_id text;
  ids      text[];
  first_rev bigint;
  same     boolean;
  last_rev bigint;
  last_pos bigint;
  next_pos bigint;
  inserted boolean := false;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || ':events'));
  SELECT coalesce(max(position), 0) INTO next_pos FROM events;
  FOR a IN SELECT value FROM jsonb_array_elements(batch) LOOP
    n := jsonb_array_length(a->'events');
    -- Any id already stored: this is a retry (answer the original) or a bug (conflict).
    -- id = ANY(array): an index lookup per id, whatever the planner thinks of a join.
    SELECT array_agg(x.v->>'id') INTO ids FROM jsonb_array_elements(a->'events') AS x(v);
    SELECT count(*) INTO stored FROM events WHERE id = ANY(ids);
    IF stored > 0 THEN
      SELECT e.revision INTO first_rev FROM events e WHERE e.id = a->'events'->0->>'id';
      SELECT count(*) = n AND bool_and(e.stream_id = a->>'stream' AND e.type = x.v->>'type'
               AND e.data = x.v->'data' AND e.revision = first_rev + x.o - 1),
             max(e.revision), max(e.position)
        INTO same, last_rev, last_pos
        FROM jsonb_array_elements(a->'events') WITH ORDINALITY AS x(v, o)
        JOIN events e ON e.id = x.v->>'id';
      IF stored = n AND same THEN
        outcomes := outcomes || jsonb_build_object('ok', true, 'revision', last_rev, 'position', last_pos);
      ELSE
        SELECT x.v->>'id' INTO first_id FROM jsonb_array_elements(a->'events') WITH ORDINALITY AS x(v, o)
          JOIN events e ON e.id = x.v->>'id' ORDER BY x.o LIMIT 1;
        outcomes := outcomes || jsonb_build_object('ok', false, 'error', 'idempotency', 'id', first_id);
      END IF;
      CONTINUE;
    END IF;
    SELECT max(revision) INTO head FROM events WHERE stream_id = a->>'stream';
    expected := a->>'expected';
    IF NOT (CASE expected
              WHEN 'any' THEN true
              WHEN 'no_stream' THEN head IS NULL
              WHEN 'stream_exists' THEN head IS NOT NULL
              ELSE head IS NOT NULL AND head = expected::numeric
            END) THEN
      outcomes := outcomes || jsonb_build_object('ok', false, 'error', 'concurrency', 'actual', head);
      CONTINUE;
    END IF;
    INSERT INTO events (position, id, stream_id, revision, type, data, metadata)
      SELECT next_pos + x.o, x.v->>'id', a->>'stream', coalesce(head, -1) + x.o, x.v->>'type', x.v->'data', x.v->'metadata'
        FROM jsonb_array_elements(a->'events') WITH ORDINALITY AS x(v, o);
    next_pos := next_pos + n;
    inserted := true;
    outcomes := outcomes || jsonb_build_object('ok', true, 'revision', coalesce(head, -1) + n, 'position', next_pos);
  END LOOP;
  -- Delivered to listeners at commit, in commit order; readers still read the table, so a
  -- lost notification costs latency, never an event.
  IF inserted THEN
    PERFORM pg_notify(current_schema() || '_events', next_pos::text);
  END IF;
  RETURN outcomes;
END
$fn$;`,
  },
];

/** The LISTEN channel of a schema's event log (`append_events` notifies it). */
export const eventsChannel = (schema: string): string => `${schema}_events`;
