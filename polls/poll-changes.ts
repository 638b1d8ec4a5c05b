/**
 * Live poll results for the SSE stream (`event: poll`): one change per poll answer or new poll,
 * published only once the read models include it, so a dashboard that re-reads the results
 * with `minPosition` on the event's position sees the answer.
 *
 * The projection runner's `changes$` carries the read models' own change kinds; polls are
 * announced here instead, from the log itself (the runner is not this capability's room), and
 * the stream merges both. Poll changes are not replayed on `Last-Event-ID`: a client that
 * reconnects re-reads the results it shows.
 */
import { concatMap, defer, filter, from, map, share, switchMap, type Observable } from 'rxjs';
import type { EventStore } from '../write-side/eventstore/port';
import type { PollAnsweredData, PollCreatedData } from './poll-state';

export interface PollChange {
  readonly kind: 'poll';
  readonly pollId: string;
  /** Where the change counts: the answer's location, or the new poll's locations ([] = chain-wide). */
  readonly locations: readonly string[];
  readonly position: string;
}

export function pollChanges(
  eventStore: EventStore, waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>,
): Observable<PollChange> {
  return defer(() => from(eventStore.headPosition())).pipe(
    switchMap((head) => eventStore.subscribe(head)),
    filter((e) => e.type === 'PollAnswered' || e.type === 'PollCreated'),
    concatMap((e) => from(waitForPosition(e.position, 5_000)).pipe(map((): PollChange => {
      const data = e.data as PollAnsweredData | PollCreatedData;
      const locations = 'respondent' in data ? (data.locationId ? [data.locationId] : []) : [...(data.locations ?? [])];
      return { kind: 'poll', pollId: data.pollId, locations, position: e.position.toString() };
    }))),
    // One subscription to the log however many dashboards listen; none while nobody does.
    share(),
  );
}
