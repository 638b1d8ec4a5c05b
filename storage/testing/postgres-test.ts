/**
 * PostgreSQL in tests: `DATABASE_URL` names a database the tests may write to (`.ci/run`
 * creates one on the machine's cluster). Each store under test gets a fresh schema, so every
 * contract starts from an empty store and runs never see each other's data; `dropSchema`
 * removes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testDatabaseUrl: string | undefined = process.env.DATABASE_URL?.trim() || undefined;

/** Logs once per file why a PostgreSQL suite is skipped. */
export function reportPostgresSkip(suite: string): void {
  if (!testDatabaseUrl) console.info(`DATABASE_URL not set: ${suite} on PostgreSQL skipped`);
}

export const freshSchema = (): string => `t_${randomBytes(6).toString('hex')}`;

export async function dropSchema(schema: string, url = testDatabaseUrl): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Wraps a store's close so that its schema is dropped after it (contract suites close each store). */
export function dropSchemaOnClose<T extends { close(): Promise<void> }>(store: T, schema: string): T {
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      await dropSchema(schema);
    },
  });
}
