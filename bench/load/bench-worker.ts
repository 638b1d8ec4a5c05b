/** Entry point of a benchmark client worker (see worker-client.ts): runs each task it is sent, in turn, and posts its result. */
import { parentPort } from 'node:worker_threads';
import { runSseProbeHere, type SseProbeSpec } from '../sse/sse-probe';
import { runFreshnessProbeHere, type FreshnessProbeSpec } from '../sse/freshness-probe';
import { runLoadHere, type LoadSpec } from './http-load';
import type { WorkerAnswer, WorkerTask } from './worker-client';
import { nameThisThread } from '../../topology/thread-name';

nameThisThread('bench-client');

async function run(task: WorkerTask): Promise<unknown> {
  switch (task.task) {
    case 'http-load': return runLoadHere(task.spec as LoadSpec);
    case 'sse-probe': return runSseProbeHere(task.spec as SseProbeSpec);
    case 'freshness-probe': return runFreshnessProbeHere(task.spec as FreshnessProbeSpec);
    default: {
      const _exhaustive: never = task.task;
      throw new Error(`unknown task ${String(_exhaustive)}`);
    }
  }
}

parentPort!.on('message', (task: WorkerTask) => {
  run(task).then(
    (result): WorkerAnswer => ({ ok: true, result }),
    (error: unknown): WorkerAnswer => ({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  ).then((answer) => parentPort!.postMessage(answer));
});
