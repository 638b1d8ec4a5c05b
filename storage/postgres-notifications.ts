/**
 * LISTEN on one channel with one dedicated connection, reconnecting by itself.
 *
 * Notifications are only a hint that something committed: every reader of this project reads
 * its table after a position it tracks, so a notification lost during a reconnect costs
 * latency, never data. To bound that latency the stream also emits `undefined` (meaning "look
 * now") right after each (re)connect and every `pollMs`.
 */
import pg from 'pg';
import { Observable, share } from 'rxjs';

export interface NotificationsOptions {
  readonly url: string;
  readonly channel: string;
  /** A "look now" tick this often even without notifications. Default 1000 ms. */
  readonly pollMs?: number;
  /** Reconnect delay after the connection dropped. Default 100 ms doubling to 5 s. */
  readonly reconnectDelayMs?: (attempt: number) => number;
}

/**
 * Payloads of `channel` (strings), or `undefined` for "look now". Hot and shared: the first
 * subscriber connects, the last one to leave disconnects.
 */
export function notifications(options: NotificationsOptions): Observable<string | undefined> {
  const pollMs = options.pollMs ?? 1000;
  const delay = options.reconnectDelayMs ?? ((attempt: number) => Math.min(5000, 100 * 2 ** attempt));
  return new Observable<string | undefined>((subscriber) => {
    let client: pg.Client | undefined;
    let stopped = false;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const poll = setInterval(() => subscriber.next(undefined), pollMs);

    const connect = () => {
      if (stopped) return;
      const c = new pg.Client({ connectionString: options.url, application_name: 'stocktide-listen', connectionTimeoutMillis: 5000 });
      client = c;
      let dropped = false;
      const drop = () => {
        if (dropped) return;
        dropped = true;
        c.removeAllListeners('notification');
        void c.end().catch(() => undefined);
        if (stopped) return;
        retryTimer = setTimeout(connect, delay(attempt));
        attempt += 1;
      };
      c.on('error', drop);
      c.on('end', drop);
      c.on('notification', (message) => {
        if (message.channel === options.channel) subscriber.next(message.payload);
      });
      c.connect()
        .then(() => c.query(`LISTEN "${options.channel.replace(/"/g, '""')}"`))
        .then(() => {
          attempt = 0;
          subscriber.next(undefined); // whatever committed while we were not listening
        })
        .catch(drop);
    };
    connect();
    return () => {
      stopped = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        void c.end().catch(() => undefined);
      }
    };
  }).pipe(share());
}
