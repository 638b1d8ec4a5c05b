/**
 * The offline queue. Every action is written to IndexedDB before the app says "saved"; the
 * sender sends pending actions one at a time in the order they were made, on the `online`
 * event, at start, on a timer and on demand (an RxJS stream with exhaustMap: one run at a time).
 *
 * Several open tabs send in turn (one Web Lock), never the same action at once.
 *
 * Where the browser has Background Sync, a sync tag is registered whenever an action waits and
 * the service worker's "send now" runs this same sender (background-sync.ts).
 *
 * What happens to an action:
 * - 2xx: accepted (or a repeat the server recognised by its id): removed from the queue.
 * - 401: the session expired: sending stops, the app asks for a login, the queue is kept.
 * - no network, 408, 429, 5xx: sending stops and is tried again later; nothing is lost.
 * - any other 4xx: the server refused it after the fact (a transfer cancelled meanwhile, a
 *   session already posted): it moves to "needs attention" with the server's problem detail,
 *   never silently dropped; the person resends or discards it.
 */
import { ref } from 'vue';
import { EMPTY, Subject, exhaustMap, firstValueFrom, from, fromEvent, merge, timer, type Subscription } from 'rxjs';
import { api } from '../api/client';
import { ApiProblem } from '../api/problem';
import { answerFlushRequests, requestBackgroundSync, type FlushReport } from './background-sync';
import { db, plain, type QueuedAction } from './db';

export const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
export const pending = ref(0);
export const attention = ref<QueuedAction[]>([]);
/** Set when the server answered 401: the app shows its sign-in dialog; the queue waits. */
export const needsLogin = ref(false);
export const sending = ref(false);

type Listener = (action: QueuedAction, answer: { position?: string }) => void;
const listeners = new Set<Listener>();
/** Screens refresh what they show once their actions are in. */
export function onSent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const newClientId = (): string => crypto.randomUUID();

async function refreshCounts(): Promise<void> {
  const all = await (await db()).getAll('outbox');
  pending.value = all.filter((a) => a.status === 'pending').length;
  attention.value = all.filter((a) => a.status === 'attention');
}

const kick$ = new Subject<void>();
/** Emits when a run of the sender ends (whatever it achieved). */
const flushed$ = new Subject<void>();

const serviceWorkers = () => (typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? navigator.serviceWorker : undefined);
/** Wake-up for when the network is back, where the browser has Background Sync; best effort. */
const askForSync = () => void requestBackgroundSync(serviceWorkers()).catch(() => false);

/** Stores the action, then tries to send. Resolves once it is durably queued. */
export async function enqueue(action: Omit<QueuedAction, 'status' | 'seq'>): Promise<void> {
  await (await db()).add('outbox', plain({ ...action, status: 'pending' as const }));
  await refreshCounts();
  askForSync();
  kick$.next();
}

/** The queued actions still waiting, oldest first (screens add them to what the server said). */
export async function pendingActions(): Promise<QueuedAction[]> {
  return (await (await db()).getAll('outbox')).filter((a) => a.status === 'pending');
}

const retryLater = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Every tab of the app shares one IndexedDB queue, so their senders take turns under one Web
 * Lock: a tab that waited reads the queue afresh, and no action is posted by two tabs at once.
 * (The ids keep a repeat to one effect anyway; the lock saves the second request.)
 */
const SENDER_LOCK = 'stocktide-outbox-sender';
async function inTurn(run: () => Promise<void>): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.locks) await navigator.locks.request(SENDER_LOCK, run);
  else await run();
}

/** Sends every pending action in order; stops at the first that cannot be decided now. */
async function flush(): Promise<void> {
  try {
    await inTurn(sendPending);
  } finally {
    // Another tab may have sent what this one counted as waiting (it had the lock first): the
    // counts are read again after every run, whatever it sent.
    await refreshCounts().catch(() => undefined);
    flushed$.next();
  }
}

async function sendPending(): Promise<void> {
  if (needsLogin.value) return;
  sending.value = true;
  try {
    const database = await db();
    // Actions queued while a run is under way are picked up by the same run (exhaustMap drops that kick).
    for (;;) {
    const queue = (await database.getAll('outbox')).filter((a) => a.status === 'pending');
    if (queue.length === 0) return;
    for (const action of queue) {
      try {
        const answer = await api.post<{ position?: string }>(action.path, action.body);
        await database.delete('outbox', action.seq!);
        online.value = true;
        for (const listener of listeners) listener(action, answer ?? {});
      } catch (error) {
        if (!(error instanceof ApiProblem)) {
          online.value = false; // no answer at all: try again when the network is back
          askForSync();
          return;
        }
        online.value = true;
        if (error.status === 401) {
          needsLogin.value = true;
          return;
        }
        if (retryLater(error.status)) return;
        const detail = [error.detail, ...error.fieldErrors].join(' · ');
        await database.put('outbox', plain({ ...action, status: 'attention' as const, problem: { status: error.status, title: error.title, detail } }));
      } finally {
        await refreshCounts();
      }
    }
    }
  } finally {
    sending.value = false;
  }
}

/** Needs-attention actions: send again (queued at the end, with the same id) or throw away. */
export async function resend(action: QueuedAction): Promise<void> {
  const database = await db();
  await database.delete('outbox', action.seq!);
  const { seq: _seq, problem: _problem, ...rest } = action;
  await database.add('outbox', plain({ ...rest, status: 'pending' as const }));
  await refreshCounts();
  kick$.next();
}

export async function discard(action: QueuedAction): Promise<void> {
  await (await db()).delete('outbox', action.seq!);
  await refreshCounts();
}

export function afterLogin(): void {
  needsLogin.value = false;
  kick$.next();
}

export const sendNow = (): void => kick$.next();

/**
 * Sends what waits through the one sender (a run already under way counts) and reports what is
 * left: the service worker's Background Sync asks this, and retries later while actions wait.
 */
export async function sendAndReport(): Promise<FlushReport> {
  if (navigator.onLine && !needsLogin.value) {
    const ran = firstValueFrom(flushed$);
    kick$.next();
    await ran;
  }
  await refreshCounts();
  return { pending: pending.value, needsLogin: needsLogin.value };
}

const RETRY_MS = 15_000;

/** Starts the sender: at start, on `online`, every 15 s, whenever an action is queued, and on the worker's Background Sync. */
export function startSender(): Subscription {
  void refreshCounts();
  const onlineEvents$ = merge(fromEvent(window, 'online'), fromEvent(window, 'offline'));
  onlineEvents$.subscribe(() => {
    online.value = navigator.onLine;
  });
  answerFlushRequests(serviceWorkers(), sendAndReport);
  return merge(timer(0, RETRY_MS), fromEvent(window, 'online'), kick$)
    .pipe(exhaustMap(() => (navigator.onLine ? from(flush()) : EMPTY)))
    .subscribe();
}
