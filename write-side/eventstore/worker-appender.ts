/**
 * The api side of the appender worker (`sqlite-appender-worker.ts`): posts a batch, resolves
 * with each append's outcome once the worker's commit (and its fsync) returned. A worker that
 * dies fails the batches it held (their callers see an error; a retry is deduplicated by event
 * id) and the next batch starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { decodeOutcomes, encodeAppends, type AppenderReply, type AppenderRequest } from './appender-messages';
import type { AppendOutcome, AppendRequest } from './sqlite-appender';

interface InFlight {
  resolve(outcomes: AppendOutcome[]): void;
  reject(error: unknown): void;
}

const ENTRY = new URL('./sqlite-appender-worker.mjs', import.meta.url);

export class WorkerAppender {
  private worker: Worker | undefined;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(private readonly path: string) {
    this.worker = this.spawn();
  }

  commit(appends: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    if (this.closing) return Promise.reject(new Error('event store is closed'));
    const worker = this.worker ?? (this.worker = this.spawn());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      worker.postMessage({ type: 'batch', id, appends: encodeAppends(appends) } satisfies AppenderRequest);
    });
  }

  /** Commits what was posted, then stops the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' } satisfies AppenderRequest);
      await closed;
    })();
    return this.closing;
  }

  private spawn(): Worker {
    const worker = new Worker(ENTRY, { workerData: { path: this.path } });
    worker.on('message', (reply: AppenderReply) => {
      if (reply.type === 'closed') return;
      const waiting = this.inFlight.get(reply.id);
      if (!waiting) return;
      this.inFlight.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(new Error(reply.message));
      else waiting.resolve(decodeOutcomes(reply.outcomes));
    });
    const fail = (error: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.inFlight) {
        this.inFlight.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`event store appender worker exited (${code}) before answering`)));
    return worker;
  }
}
