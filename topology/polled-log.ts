/**
 * The event store as seen from another thread or process than the one appending: the embedded
 * store's `subscribe` goes live from its own appends only, so a projector in a worker (or in
 * another process on the same files) polls the log instead.
 *
 * One poller for every subscription of the store (the projector has one per projection, a dozen
 * of them, all at about the same position): each poll reads the log once, from the lowest
 * position a subscriber has, and hands each subscriber the events after its own; a dozen
 * pollers each reading and parsing the same rows cost the projector a tenth of its time. A poll
 * runs every `intervalMs` and whenever `wakeUps` emits (the appender announcing a commit:
 * storage/file-signals.ts); a wake-up during a poll makes it read once more (wakeable-polls.ts).
 * Pages are read after the last position delivered, so
 * nothing is skipped or delivered twice. EventStoreDB subscriptions already span processes: there
 * this is not used.
 */
import { EMPTY, Observable, type Subscriber, type Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '../write-side/eventstore/port';
import { wakeablePolls } from './wakeable-polls';

const PAGE = 1000;

interface Follower {
  last: bigint;
  readonly subscriber: Subscriber<RecordedEvent>;
}

export function pollingSubscriptions(store: EventStore, intervalMs: number, wakeUps: Observable<unknown> = EMPTY): EventStore {
  const followers = new Set<Follower>();
  let polling: Subscription | undefined;

  const pollOnce = async () => {
    for (;;) {
      const open = [...followers];
      if (open.length === 0) return;
      const from = open.reduce((low, f) => (f.last < low ? f.last : low), open[0]!.last);
      const page = await store.readAll({ after: from, maxCount: PAGE });
      for (const event of page) {
        for (const f of open) {
          if (f.subscriber.closed || event.position <= f.last) continue;
          f.last = event.position;
          f.subscriber.next(event);
        }
      }
      if (page.length < PAGE) return;
      await new Promise<void>((resolve) => setImmediate(resolve)); // yield between pages
    }
  };
  const polls = wakeablePolls(intervalMs, wakeUps, pollOnce);
  const fail = (error: unknown) => {
    // Each subscriber resubscribes from its own checkpoint (the runner retries with backoff).
    const failed = [...followers];
    followers.clear();
    stop();
    for (const f of failed) f.subscriber.error(error);
  };
  const stop = () => {
    polling?.unsubscribe();
    polling = undefined;
  };
  const start = () => {
    polling ??= polls.polls.subscribe({ error: fail });
  };

  const subscribe = (after = 0n): Observable<RecordedEvent> => new Observable<RecordedEvent>((subscriber) => {
    const follower: Follower = { last: after, subscriber };
    followers.add(follower);
    start();
    polls.again();
    return () => {
      followers.delete(follower);
      if (followers.size === 0) stop();
    };
  });
  return {
    kind: store.kind,
    append: (...args) => store.append(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    subscribe,
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
