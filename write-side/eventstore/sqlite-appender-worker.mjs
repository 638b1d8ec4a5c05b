// Worker threads of Node 20 do not inherit the `--import tsx` hooks of the main thread: this
// plain-JS entry registers tsx in the worker, then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-appender-worker.ts');
