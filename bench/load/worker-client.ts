/**
 * Runs a client-side task of a benchmark in a worker thread, so the clients and the server
 * under test (main thread) each have their own event loop and clock readings are not delayed
 * by the other's work. The worker loads TypeScript through tsx, as `npm run bench` does.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerTask = { readonly task: 'http-load' | 'sse-probe' | 'freshness-probe'; readonly spec: unknown };

const ENTRY = new URL('./bench-worker.ts', import.meta.url);
// A worker does not inherit tsx's loader hooks (and `--import tsx` in its execArgv does not apply
// to its entry module), so a small CommonJS trampoline registers them, then imports the entry.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const TRAMPOLINE = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`;

export function runInWorker<T>(task: WorkerTask): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(TRAMPOLINE, { eval: true, workerData: task });
    let answered = false;
    worker.once('message', (message: { ok: true; result: T } | { ok: false; error: string }) => {
      answered = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`${task.task} worker: ${message.error}`));
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`${task.task} worker exited with ${code} before answering`));
    });
  });
}
