/**
 * The read models catching up with the log (a first start, a rebuilt read store): `/health`
 * says how far behind they are; the shell shows it in a banner instead of silently stale
 * numbers. Polled with RxJS (`timer` + `switchMap`): every 5 s while catching up, every 60 s
 * otherwise (a catch-up starts only with a restart, which the live stream also notices).
 */
import { ref } from 'vue';
import { catchError, expand, from, of, switchMap, timer, type Subscription } from 'rxjs';

export interface CatchUp {
  readonly state: 'catching_up' | 'live';
  readonly behind: string;
  readonly percent: number;
  readonly eventsPerSecond?: number;
  readonly etaSeconds?: number;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** The banner's text, or undefined when the read models are live. */
export function catchUpMessage(c: CatchUp | undefined): string | undefined {
  if (!c || c.state !== 'catching_up') return undefined;
  const parts = [`Figures are catching up with the event log: ${c.percent}% done, ${grouped(Number(c.behind))} events behind`];
  if (c.etaSeconds !== undefined) parts.push(`about ${duration(c.etaSeconds)} left`);
  if (c.eventsPerSecond !== undefined) parts.push(`${grouped(c.eventsPerSecond)} events/s`);
  return `${parts.join(', ')}.`;
}

export const catchUp = ref<CatchUp | undefined>();

let polling: Subscription | undefined;

export function startCatchUpPolling(fetchHealth: () => Promise<{ catchUp?: CatchUp }>): void {
  stopCatchUpPolling();
  const check = () => from(fetchHealth()).pipe(catchError(() => of<{ catchUp?: CatchUp }>({})));
  polling = check().pipe(
    expand((health) => timer(health.catchUp?.state === 'catching_up' ? 5_000 : 60_000).pipe(switchMap(check))),
  ).subscribe((health) => { catchUp.value = health.catchUp; });
}

export function stopCatchUpPolling(): void {
  polling?.unsubscribe();
  polling = undefined;
}
