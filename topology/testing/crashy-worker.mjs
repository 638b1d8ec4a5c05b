// A role worker for worker-host.int.spec.ts: reports `active`, then exits with code 1 when told
// to crash, or waits for the host's stop message.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.postMessage({ type: 'state', state: 'active' });
if (workerData.crash) process.exit(1);
parentPort.on('message', (m) => {
  if (m.type === 'stop') process.exit(0);
});
