/*
 * Background Sync for the staff app's outbox, imported into the generated service worker
 * (vite.config.ts, workbox.importScripts). The page registers the tag when it queues an action
 * or finds no network; the browser fires `sync` once it is online again. The actions are sent
 * by the page's one sender (ui/src/app/outbox.ts: ids, order, 401 and needs-attention handling):
 * this worker only asks an open staff-app page to send now and waits for its answer. A sync that
 * leaves actions waiting fails, so the browser tries again later; with no page open nothing is
 * sent here, and the app sends at its next start.
 */
/* global self, MessageChannel */
const OUTBOX_SYNC_TAG = 'stocktide-outbox';
const FLUSH_MESSAGE = 'stocktide-flush';
const ANSWER_WITHIN_MS = 60000;

function askToFlush(client) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      resolve(undefined);
    }, ANSWER_WITHIN_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data);
    };
    client.postMessage({ type: FLUSH_MESSAGE }, [channel.port2]);
  });
}

async function flushThroughPage(scope) {
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const pages = windows.filter((c) => new URL(c.url).pathname.startsWith('/app/'));
  // One page sends (two would race over the same queue); the one the person looks at first.
  const page = pages.find((c) => c.focused) || pages.find((c) => c.visibilityState === 'visible') || pages[0];
  if (!page) return 'no-page';
  const answer = await askToFlush(page);
  if (!answer) throw new Error('the staff app did not answer: try again later');
  // Signed out: the page asks for the password and sends after it; retrying would not help.
  if (answer.needsLogin) return 'needs-login';
  if (answer.pending > 0) throw new Error(`${answer.pending} action(s) still waiting: try again later`);
  return 'sent';
}

self.addEventListener('sync', (event) => {
  if (event.tag !== OUTBOX_SYNC_TAG) return;
  event.waitUntil(flushThroughPage(self));
});
