/**
 * "This file has changed": a wake-up from the thread that commits to an embedded SQLite file to
 * the threads of the same process that follow it by polling, so they read at once instead of at
 * their next poll. The appender announces each commit of `events.sqlite` (the projector worker
 * listens: topology/polled-log.ts); the projector announces each batch of changes it commits to
 * `read.sqlite` (the api's SSE feed listens: topology/projection-feed.ts). A `BroadcastChannel`
 * named after the file: every thread of the process that listens on the same path hears it,
 * other processes do not (they keep polling). A signal carries nothing; a lost or spurious one
 * costs a poll, never a change (readers read after their own position or cursor).
 */
import { resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Observable } from 'rxjs';

const channelName = (path: string) => `stocktide:changed:${resolve(path)}`;

/** For the committing thread: `announce()` after each commit others should read. */
export function fileAnnouncer(path: string): { announce(): void; close(): void } {
  const channel = new BroadcastChannel(channelName(path));
  channel.unref();
  return { announce: () => channel.postMessage(0), close: () => channel.close() };
}

/** Emits once per announced commit to `path`, in this thread, while subscribed. */
export function fileSignals(path: string): Observable<void> {
  return new Observable<void>((subscriber) => {
    const channel = new BroadcastChannel(channelName(path));
    channel.unref();
    channel.onmessage = () => subscriber.next();
    return () => channel.close();
  });
}
