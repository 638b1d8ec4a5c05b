/** The one live connection of the logged-in dashboard, shared by every screen. */
import { ref } from 'vue';
import { Subject, type Subscription } from 'rxjs';
import { connectLive, type LiveMessage, type LiveState } from './stream';

export const liveState = ref<LiveState>('offline');
export const live$ = new Subject<LiveMessage>();

let subscriptions: Subscription[] = [];

export function startLive(): void {
  stopLive();
  const connection = connectLive();
  subscriptions = [
    connection.state$.subscribe((s) => (liveState.value = s)),
    connection.messages$.subscribe((m) => live$.next(m)),
  ];
}

export function stopLive(): void {
  for (const s of subscriptions) s.unsubscribe();
  subscriptions = [];
  liveState.value = 'offline';
}
