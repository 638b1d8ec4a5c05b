/**
 * Runs a client-side task of a benchmark in a worker thread, so the clients and the server
 * under test (main thread) each have their own event loop and clock readings are not delayed
 * by the other's work. The worker loads TypeScript through tsx, as `npm run bench` does.
 *
 * A worker that finished its task waits, idle and unreferenced, for the next one: each phase of
 * a benchmark then runs on a client whose code V8 has already optimized. A fresh worker per phase
 * compiled the generator's hot paths again in every measured phase (V8's background compiler
 * threads, shared by the whole process: ~0.45 ms of CPU per request taken from the server under
 * test, measured with bench/webhooks/cpu-per-webhook.ts).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerTask = { readonly task: 'http-load' | 'sse-probe' | 'freshness-probe'; readonly spec: unknown };
export type WorkerAnswer = { ok: true; result: unknown } | { ok: false; error: string };

const ENTRY = new URL('./bench-worker.ts', import.meta.url);
// A worker does not inherit tsx's loader hooks (and `--import tsx` in its execArgv does not apply
// to its entry module), so a small CommonJS trampoline registers them, then imports the entry.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const TRAMPOLINE = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`;

/** Client workers between tasks (unreferenced: they never keep the process alive). */
const idle = new Set<Worker>();

function newClientWorker(): Worker {
  const worker = new Worker(TRAMPOLINE, { eval: true });
  worker.once('exit', () => idle.delete(worker));
  return worker;
}

export function runInWorker<T>(task: WorkerTask): Promise<T> {
  const reused = idle.values().next();
  const worker = reused.done ? newClientWorker() : reused.value;
  idle.delete(worker);
  worker.ref();
  return new Promise<T>((resolve, reject) => {
    const settle = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: WorkerAnswer) => {
      settle();
      worker.unref();
      idle.add(worker);
      if (message.ok) resolve(message.result as T);
      else reject(new Error(`${task.task} worker: ${message.error}`));
    };
    // A worker that failed outside its task is not reused.
    const onError = (error: Error) => {
      settle();
      void worker.terminate();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`${task.task} worker exited with ${code} before answering`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(task);
  });
}
