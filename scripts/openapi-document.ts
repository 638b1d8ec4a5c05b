/**
 * `npm run openapi:document [-- FILE]`: builds the app on a throwaway data directory (embedded
 * stores, no demo), reads the document it serves at `/docs/json` and writes it to FILE (default
 * `openapi/openapi.json`, ignored by git). Redocly lint and openapi-typescript read that file,
 * so CI checks exactly what the server serves.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildApp } from '../server/app';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join('openapi', 'openapi.json'));
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-openapi-'));
  const built = await buildApp({ dataDir, logger: false, demo: false, adminPassword: 'openapi-document-only-1' });
  try {
    const answer = await built.app.inject({ method: 'GET', url: '/docs/json' });
    if (answer.statusCode !== 200) throw new Error(`/docs/json answered ${answer.statusCode}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(answer.json(), null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    await built.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
