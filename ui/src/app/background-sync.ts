/**
 * Background Sync, where the browser has it (Chromium does; Firefox and Safari do not): the page
 * registers a sync tag when an action waits, the browser wakes the service worker once it is
 * online again (even with the app in the background), and the worker (public/app/outbox-sync.js)
 * asks the page to send. The sending itself stays in outbox.ts, one code path with its ids; the
 * `online` event, the start and the timer keep working where there is no Background Sync.
 */
export const OUTBOX_SYNC_TAG = 'stocktide-outbox';
export const FLUSH_MESSAGE = 'stocktide-flush';

/** What the page answers the worker: how many actions still wait, and whether a sign-in is needed. */
export interface FlushReport { pending: number; needsLogin: boolean }

interface SyncRegistration { sync?: { register(tag: string): Promise<void> } }
type Container = Pick<ServiceWorkerContainer, 'getRegistration' | 'addEventListener' | 'removeEventListener'>;

/** Asks the browser for a sync event; false where there is no service worker or no Background Sync. */
export async function requestBackgroundSync(container: Container | undefined): Promise<boolean> {
  const registration = (await container?.getRegistration('/app/')) as SyncRegistration | undefined;
  if (!registration?.sync) return false;
  try {
    await registration.sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch {
    return false; // e.g. the permission is denied: the other paths still send
  }
}

/** Answers the worker's "send now": runs `flush` (the page's one sender) and reports what is left. */
export function answerFlushRequests(container: Container | undefined, flush: () => Promise<FlushReport>): () => void {
  if (!container) return () => undefined;
  const onMessage = (event: Event) => {
    const { data, ports } = event as MessageEvent<{ type?: string } | undefined>;
    if (data?.type !== FLUSH_MESSAGE) return;
    const port = ports[0];
    flush().then((report) => port?.postMessage(report), () => port?.postMessage(undefined));
  };
  container.addEventListener('message', onMessage);
  return () => container.removeEventListener('message', onMessage);
}
