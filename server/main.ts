/**
 * `npm start`: the roles of `IMS_ROLES` (default all three) with one command. `api` runs on the
 * main thread; `projector` and `outbound` run in worker threads (restarted when they crash),
 * each active only while it holds its lease, so several processes on the same stores keep
 * exactly one active projector and one active sender (docs/topology.md). Embedded stores unless
 * EVENTSTORE_URL / MONGODB_URI are set.
 */
import { ConfigError, loadConfig } from './config';
import { startRoles } from './start-roles';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = await startRoles(config);
  if (started.api) {
    started.api.app.log.info(`Stocktide listening on ${started.api.url} (dashboard at /, API docs at /docs; roles: ${[...config.roles].join(', ')})`);
  } else {
    console.log(`Stocktide roles running: ${[...config.roles].join(', ')}`);
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    started.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
