/**
 * The live stream (`GET /api/stream`) as an RxJS Observable of typed messages plus a
 * connection state. The browser's EventSource reconnects by itself (sending Last-Event-ID);
 * when it gives up (the server refused or closed for good) we open a new one ourselves,
 * with backoff, passing the last seen position as `?lastEventId=` so nothing is missed.
 */
import { BehaviorSubject, Observable, share } from 'rxjs';
import type { StockChange } from '../api/types';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type LiveMessage =
  | { kind: 'stock'; data: StockChange; id: string }
  | { kind: 'alert'; data: Record<string, unknown>; id: string }
  | { kind: 'transfer'; data: Record<string, unknown>; id: string }
  | { kind: 'poll'; data: { pollId: string; locations: string[]; position: string }; id: string };

export type EventSourceFactory = (url: string) => EventSource;

const kinds = ['stock', 'alert', 'transfer', 'poll'] as const;
/** EventSource.CLOSED, spelled out so the module also loads where EventSource is not global. */
const CLOSED = 2;

export interface LiveConnection {
  readonly messages$: Observable<LiveMessage>;
  readonly state$: BehaviorSubject<LiveState>;
}

export function connectLive(
  baseUrl = '/api/stream',
  factory: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true }),
  maxBackoffMs = 15_000,
): LiveConnection {
  const state$ = new BehaviorSubject<LiveState>('connecting');
  const messages$ = new Observable<LiveMessage>((subscriber) => {
    let source: EventSource | undefined;
    let lastId: string | undefined;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const open = (): void => {
      const url = lastId ? `${baseUrl}?lastEventId=${encodeURIComponent(lastId)}` : baseUrl;
      const es = factory(url);
      source = es;
      es.onopen = () => {
        attempt = 0;
        state$.next('live');
      };
      es.onerror = () => {
        if (closed) return;
        if (es.readyState === CLOSED) {
          es.close();
          state$.next('reconnecting');
          const delay = Math.min(maxBackoffMs, 500 * 2 ** attempt++);
          timer = setTimeout(open, delay);
        } else {
          state$.next('reconnecting'); // the browser retries on its own
        }
      };
      for (const kind of kinds) {
        es.addEventListener(kind, (event) => {
          const message = event as MessageEvent<string>;
          if (message.lastEventId) lastId = message.lastEventId;
          try {
            subscriber.next({ kind, data: JSON.parse(message.data), id: message.lastEventId } as LiveMessage);
          } catch {
            // a malformed frame is skipped; the next re-read repairs the view
          }
        });
      }
    };

    open();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      source?.close();
      state$.next('offline');
    };
  }).pipe(share());
  return { messages$, state$ };
}
