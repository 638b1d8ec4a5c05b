/**
 * Worker thread that owns the embedded event store's write connection (`SqliteEventStore` with
 * `appendInWorker`). Batches posted while a commit (and its fsync) runs are committed together
 * in the next one: one message back per batch, with each append's outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../../storage/sqlite';
import { fileAnnouncer } from '../../storage/file-signals';
import { nameThisThread } from '../../topology/thread-name';
import { decodeAppends, encodeOutcomes, type AppenderReply, type AppenderRequest } from './appender-messages';
import { SqliteAppender, type AppendRequest } from './sqlite-appender';

const port = parentPort;
if (!port) throw new Error('sqlite-appender-worker runs in a worker thread');
nameThisThread('st-appender');
const { path } = workerData as { path: string };
const db = openSqlite(path, { synchronous: 'FULL' });
const appender = new SqliteAppender(db);
// Wakes the projector (a worker of this process polling the log) as soon as a commit stored events.
const appended = fileAnnouncer(path);
let queued: { id: number; appends: AppendRequest[] }[] = [];
let scheduled = false;

function commitQueued(): void {
  scheduled = false;
  const requests = queued;
  queued = [];
  if (requests.length === 0) return;
  const appends = requests.flatMap((r) => r.appends);
  let replies: AppenderReply[];
  try {
    const outcomes = appender.commit(appends);
    if (outcomes.some((o) => o.ok && o.inserted)) appended.announce();
    let at = 0;
    replies = requests.map((r) => {
      const own = outcomes.slice(at, (at += r.appends.length));
      return { type: 'committed', id: r.id, outcomes: encodeOutcomes(own) };
    });
  } catch (error) {
    // The commit itself failed: nothing of these batches is durable.
    const message = error instanceof Error ? error.message : String(error);
    replies = requests.map((r) => ({ type: 'failed', id: r.id, message }));
  }
  for (const reply of replies) port!.postMessage(reply);
}

port.on('message', (request: AppenderRequest) => {
  if (request.type === 'close') {
    commitQueued();
    db.close();
    appended.close();
    port.postMessage({ type: 'closed' } satisfies AppenderReply);
    port.close();
    return;
  }
  queued.push({ id: request.id, appends: decodeAppends(request.appends) });
  if (!scheduled) {
    scheduled = true;
    // Every batch that arrived while the last commit ran is taken by this one.
    setImmediate(commitQueued);
  }
});
