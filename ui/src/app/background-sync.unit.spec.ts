/**
 * Background Sync, both halves without a browser: the page's registration and its answer to the
 * worker (background-sync.ts), and the worker's script (public/app/outbox-sync.js) run with a
 * fake `self`. Whether Chromium fires `sync` itself is the browser's business (not shown
 * headless); the browser test checks that the page registers the tag while offline.
 */
import { describe, expect, it } from 'vitest';
import workerSource from '../../public/app/outbox-sync.js?raw';
import { FLUSH_MESSAGE, OUTBOX_SYNC_TAG, answerFlushRequests, requestBackgroundSync, type FlushReport } from './background-sync';

type Listener = (event: unknown) => void;
function fakeContainer(registration: unknown) {
  const listeners = new Map<string, Listener>();
  return {
    listeners,
    getRegistration: async (scope?: string) => (scope === '/app/' ? registration : undefined),
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    removeEventListener: (type: string) => listeners.delete(type),
  } as unknown as ServiceWorkerContainer & { listeners: Map<string, Listener> };
}

describe('the page and Background Sync', () => {
  it('given a registration with a sync manager, when an action waits, then the outbox tag is registered', async () => {
    const tags: string[] = [];
    const container = fakeContainer({ sync: { register: async (tag: string) => void tags.push(tag) } });
    expect(await requestBackgroundSync(container)).toBe(true);
    expect(tags).toEqual([OUTBOX_SYNC_TAG]);
  });

  it('without a service worker, a sync manager or the permission, nothing is registered and nothing throws', async () => {
    expect(await requestBackgroundSync(undefined)).toBe(false);
    expect(await requestBackgroundSync(fakeContainer(undefined))).toBe(false);
    expect(await requestBackgroundSync(fakeContainer({}))).toBe(false);
    expect(await requestBackgroundSync(fakeContainer({ sync: { register: async () => { throw new Error('denied'); } } }))).toBe(false);
  });

  it('when the worker asks to send, the page runs its sender and answers what is left; other messages are ignored', async () => {
    const container = fakeContainer(undefined);
    let runs = 0;
    const stop = answerFlushRequests(container, async () => ({ pending: runs++, needsLogin: false }));
    const onMessage = container.listeners.get('message')!;
    const ask = () => {
      const channel = new MessageChannel();
      const answer = new Promise<unknown>((res) => {
        channel.port1.onmessage = (m) => {
          channel.port1.close();
          res(m.data);
        };
      });
      onMessage({ data: { type: FLUSH_MESSAGE }, ports: [channel.port2] });
      return answer;
    };
    expect(await ask()).toEqual({ pending: 0, needsLogin: false });
    onMessage({ data: { type: 'something-else' }, ports: [] });
    expect(runs).toBe(1);
    stop();
    expect(container.listeners.has('message')).toBe(false);
  });
});

/** The worker script with a fake `self` and pages that answer as given. */
function worker(pages: Array<{ url: string; focused?: boolean; answer?: FlushReport }>) {
  const listeners = new Map<string, Listener>();
  const asked: string[] = [];
  const clients = pages.map((p) => ({
    url: p.url, focused: p.focused ?? false, visibilityState: 'visible',
    postMessage(message: { type: string }, [port]: [MessagePort]) {
      asked.push(`${p.url} ${message.type}`);
      if (p.answer) port.postMessage(p.answer);
      port.close();
    },
  }));
  const self = {
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    clients: { matchAll: async () => clients },
  };
  // The classic script as the worker runs it, with this fake `self` in scope.
  new Function('self', workerSource)(self);
  const sync = (tag: string) => {
    let waited: Promise<unknown> | undefined;
    listeners.get('sync')!({ tag, waitUntil: (p: Promise<unknown>) => void (waited = p) });
    return waited;
  };
  return { sync, asked };
}

describe('the service worker on a sync event', () => {
  it('asks the focused staff-app page (not the dashboard) to send, and is done when nothing waits', async () => {
    const w = worker([
      { url: 'http://s/#/stock' },
      { url: 'http://s/app/', answer: { pending: 0, needsLogin: false } },
      { url: 'http://s/app/?b', focused: true, answer: { pending: 0, needsLogin: false } },
    ]);
    expect(await w.sync(OUTBOX_SYNC_TAG)).toBe('sent');
    expect(w.asked).toEqual([`http://s/app/?b ${FLUSH_MESSAGE}`]);
  });

  it('fails while actions still wait, so the browser tries again later', async () => {
    const w = worker([{ url: 'http://s/app/', answer: { pending: 2, needsLogin: false } }]);
    await expect(w.sync(OUTBOX_SYNC_TAG)).rejects.toThrow('2 action(s) still waiting');
  });

  it('waiting for a sign-in, or with no page open, it stops without retrying; another tag is not its business', async () => {
    expect(await worker([{ url: 'http://s/app/', answer: { pending: 3, needsLogin: true } }]).sync(OUTBOX_SYNC_TAG)).toBe('needs-login');
    expect(await worker([{ url: 'http://s/' }]).sync(OUTBOX_SYNC_TAG)).toBe('no-page');
    expect(worker([{ url: 'http://s/app/' }]).sync('other-tag')).toBeUndefined();
  });
});
