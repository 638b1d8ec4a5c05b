/**
 * Child process of crash-durability.int.spec.ts: appends concurrently to the embedded store at
 * argv[2] and prints `ack <id>` the moment each append resolves (stdout to a pipe is synchronous
 * on Linux, so a printed id has left this process before the next one is written). It stops on
 * its own after argv[3] appends (a bound in case nobody kills it). argv[4] `worker`: commits in
 * the store's appender worker thread.
 */
import { v4 as uuid } from 'uuid';
import { SqliteEventStore } from './sqlite-event-store';

const [path, limitText = '50000', mode = 'inline'] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-writer.fixture.ts <file> [limit] [inline|worker]');
const limit = Number(limitText);
const store = new SqliteEventStore({ path, appendInWorker: mode === 'worker' });
const metadata = { actor: { kind: 'system', id: 'crash-writer' }, source: 'system', correlationId: 'crash' } as const;
let issued = 0;

async function worker(n: number): Promise<void> {
  const streamId = `crash-${n % 16}`;
  while (issued < limit) {
    issued += 1;
    const events = Array.from({ length: 1 + (issued % 3) }, () => ({ id: uuid(), type: 'CrashTested', data: { n }, metadata }));
    await store.append(streamId, events, 'any');
    process.stdout.write(events.map((e) => `ack ${e.id}\n`).join(''));
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: 64 }, (_, n) => worker(n)));
await store.close();
