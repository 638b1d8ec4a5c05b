/**
 * `DATABASE_URL` selects PostgreSQL for every store (and nothing changes without it); the
 * schema is created and recorded in `schema_versions` at start; `?schema=` picks the schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutboundStore } from '../outbound/store/open-outbound-store';
import { openPosStore } from '../pos/connections/open-pos-store';
import { openReadStore } from '../projections/readstore/open-read-store';
import { openIdentityStore } from '../security/identity/open-identity-store';
import { ConfigError, loadConfig } from '../server/config';
import { openEventStore } from '../write-side/eventstore/open-event-store';
import { openSnapshotStore } from '../write-side/commands/snapshots/open-snapshot-store';
import { openInboxStore } from '../pos/inbox/open-inbox-store';
import { openCatalogStore } from '../catalog/store/open-catalog-store';
import { PostgresCatalogStore } from '../catalog/store/postgres-catalog-store';
import { openPostgres } from './postgres';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from './testing/postgres-test';

reportPostgresSkip('store selection');

describe('DATABASE_URL in the configuration', () => {
  it('given a postgres URL, then it is kept; given anything else, then the process refuses to start', () => {
    expect(loadConfig({ DATABASE_URL: ' postgres://u@h:5432/d ' }).databaseUrl).toBe('postgres://u@h:5432/d');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/d' }).databaseUrl).toBe('postgresql://u@h/d');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u@h/d' })).toThrow(ConfigError);
  });
});

describe.runIf(Boolean(testDatabaseUrl))('DATABASE_URL selects PostgreSQL', () => {
  const schema = freshSchema();
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-pg-select-'));
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('given DATABASE_URL with ?schema=, when every store opens, then each is the PostgreSQL adapter and the migrations are recorded once', async () => {
    const databaseUrl = `${testDatabaseUrl}${testDatabaseUrl!.includes('?') ? '&' : '?'}schema=${schema}`;
    const [events, read, identity, pos, outbound] = await Promise.all([
      openEventStore({ dataDir, databaseUrl }),
      openReadStore({ dataDir, databaseUrl }),
      openIdentityStore({ dataDir, databaseUrl }),
      openPosStore({ dataDir, databaseUrl }),
      openOutboundStore({ dataDir, databaseUrl }),
    ]);
    const [snapshots, inbox, catalog] = await Promise.all([
      openSnapshotStore({ dataDir, databaseUrl }),
      openInboxStore({ dataDir, databaseUrl }),
      openCatalogStore({ dataDir, databaseUrl }),
    ]);
    try {
      expect([events.kind, read.kind, pos.kind, outbound.kind, snapshots.kind, inbox.kind]).toEqual(['postgres', 'postgres', 'postgres', 'postgres', 'postgres', 'postgres']);
      expect(identity.constructor.name).toBe('PostgresIdentityStore');
      expect(catalog).toBeInstanceOf(PostgresCatalogStore);
      const db = await openPostgres({ url: testDatabaseUrl!, schema });
      try {
        const { rows } = await db.pool.query<{ component: string; version: number }>('SELECT component, version FROM schema_versions ORDER BY component, version');
        // Each migration once, in order (identity 2 added per-user permissions, catalog 2 product pushes).
        expect(rows).toEqual([
          { component: 'catalog', version: 1 }, { component: 'catalog', version: 2 },
          { component: 'eventstore', version: 1 }, { component: 'identity', version: 1 }, { component: 'identity', version: 2 },
          { component: 'outbound', version: 1 }, { component: 'pos', version: 1 }, { component: 'pos-inbox', version: 1 },
          { component: 'readstore', version: 1 }, { component: 'readstore', version: 2 }, { component: 'snapshots', version: 1 },
        ]);
      } finally {
        await db.release();
      }
      // EVENTSTORE_URL still wins for the event log when both are given.
      const esdb = await openEventStore({ dataDir, databaseUrl, eventStoreUrl: 'esdb://127.0.0.1:1?tls=false' });
      expect(esdb.kind).toBe('eventstoredb');
      await esdb.close();
    } finally {
      await Promise.all([events.close(), read.close(), identity.close(), pos.close(), outbound.close(), snapshots.close(), inbox.close(), catalog.close()]);
    }
  });
});
