/**
 * `npm run demo`: the chain simulation on the wall clock, so a newcomer's dashboard moves:
 * Stocktide listens on HOST:PORT (default 127.0.0.1:3000), a small chain is set up on fresh
 * embedded stores, and every `IMS_DEMO_DAY_SECONDS` (default 60) a simulated day passes: the
 * tills' sales and returns arrive as signed webhooks, deliveries are received, counts find
 * shrinkage, alerts open. The stores keep their own weekly ordering habit (the baseline
 * policy), so Stocktide's reorder suggestions stay on screen for the newcomer to act on.
 * Ctrl-C (SIGINT) or SIGTERM stops the world and the server cleanly and removes the stores.
 *
 * Sign in as `admin` with IMS_ADMIN_PASSWORD (default `stocktide-demo`).
 * Size: IMS_DEMO_STORES (default 5), IMS_DEMO_SKUS (default 30), IMS_DEMO_SEED (default 7).
 */
import { runPolicy } from './simulate';

const int = (name: string, fallback: number, min: number, max: number): number => {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got ${text})`);
  return n;
};

async function main(): Promise<void> {
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) return;
    console.log(`${signal}: stopping the demo`);
    controller.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const daySeconds = int('IMS_DEMO_DAY_SECONDS', 60, 1, 86_400);
  await runPolicy(
    { stores: int('IMS_DEMO_STORES', 5, 1, 99), skus: int('IMS_DEMO_SKUS', 30, 1, 2000), days: 3650, seed: int('IMS_DEMO_SEED', 7, 0, 2 ** 31 - 1) },
    'baseline',
    {
      live: {
        dayMs: daySeconds * 1000, signal: controller.signal,
        listen: { port: int('PORT', 3000, 0, 65_535), host: process.env['HOST'] || '127.0.0.1' },
        onListening: (url) => console.log(`Stocktide demo at ${url} (admin / ${process.env['IMS_ADMIN_PASSWORD'] ?? 'stocktide-demo'}); a simulated day every ${daySeconds} s; Ctrl-C stops`),
      },
      progress: (message) => console.log(message.replace('baseline: ', 'demo: ')),
    },
  );
  console.log('demo stopped');
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
