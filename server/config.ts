/**
 * Configuration from the environment (CONTRACT.md, "Process and configuration").
 * Read once at start; a bad value stops the process with a clear message.
 */
import { resolve } from 'node:path';
import { RolesError, parseRoles, type Role } from '../topology/roles';
import type { IntakeSettings } from '../pos/processing/process-deps';

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStoreUrl?: string;
  readonly mongodbUri?: string;
  /** `DATABASE_URL`: PostgreSQL for every store not given its own URL above. */
  readonly databaseUrl?: string;
  readonly adminPassword?: string;
  readonly demo: boolean;
  readonly currency: string;
  readonly transferOverdueHours: number;
  readonly posImportDir?: string;
  /** Pull POS totals (Square) for reconciliation every N minutes; 0 = off. */
  readonly posReconcileMinutes: number;
  /** POS intake timings (IMS_POS_UPSTREAM_TIMEOUT_MS, IMS_POS_ANSWER_BUDGET_MS, IMS_POS_RETRY_BASE_MS, IMS_POS_RETRY_ATTEMPTS, IMS_POS_SILENT_AFTER_MINUTES). */
  readonly posIntake?: Partial<IntakeSettings>;
  readonly logLevel: string;
  readonly cookieSecure: boolean;
  readonly corsOrigins: string[];
  /** `IMS_ROLES`: what this process runs (topology/roles.ts). */
  readonly roles: ReadonlySet<Role>;
  /** `IMS_LEASE_TTL_MS`: how long a dead projector or outbound holder blocks its standby. Default 5000. */
  readonly leaseTtlMs: number;
  /** `IMS_APPEND_IN_WORKER`: the embedded event store commits in a worker thread (its fsync off the api's event loop). Default: on with `split` (npm start), off otherwise. */
  readonly appendInWorker?: boolean;
  /** `IMS_API_RATE_LIMIT`: requests per caller per minute on every route (default 20,000; 0: no API-wide limit). */
  readonly apiRateLimit: number;
}

export class ConfigError extends Error {}

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${value}"`);
  return n;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${value}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const currency = (nonEmpty(env.IMS_CURRENCY) ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError(`IMS_CURRENCY must be an ISO 4217 code, got "${currency}"`);
  const eventStoreUrl = nonEmpty(env.EVENTSTORE_URL);
  if (eventStoreUrl && !/^(esdb|esdb\+discover|kurrentdb|kdb):\/\//.test(eventStoreUrl)) {
    throw new ConfigError('EVENTSTORE_URL must be an esdb:// connection string');
  }
  const mongodbUri = nonEmpty(env.MONGODB_URI);
  if (mongodbUri && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) throw new ConfigError('MONGODB_URI must be a mongodb:// URI');
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  return {
    port: integer('PORT', env.PORT, 3000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dataDir: resolve(nonEmpty(env.IMS_DATA_DIR) ?? './data'),
    eventStoreUrl,
    mongodbUri,
    databaseUrl,
    adminPassword: nonEmpty(env.IMS_ADMIN_PASSWORD),
    demo: flag('IMS_DEMO', env.IMS_DEMO, true),
    currency,
    transferOverdueHours: integer('IMS_TRANSFER_OVERDUE_HOURS', env.IMS_TRANSFER_OVERDUE_HOURS, 48, 1, 24 * 365),
    posImportDir: nonEmpty(env.IMS_POS_IMPORT_DIR),
    posReconcileMinutes: integer('IMS_POS_RECONCILE_MINUTES', env.IMS_POS_RECONCILE_MINUTES, 0, 0, 24 * 60),
    posIntake: {
      upstreamTimeoutMs: integer('IMS_POS_UPSTREAM_TIMEOUT_MS', env.IMS_POS_UPSTREAM_TIMEOUT_MS, 800, 50, 8_000),
      answerBudgetMs: integer('IMS_POS_ANSWER_BUDGET_MS', env.IMS_POS_ANSWER_BUDGET_MS, 2_500, 100, 4_000),
      retryBaseMs: integer('IMS_POS_RETRY_BASE_MS', env.IMS_POS_RETRY_BASE_MS, 2_000, 10, 3_600_000),
      maxAttempts: integer('IMS_POS_RETRY_ATTEMPTS', env.IMS_POS_RETRY_ATTEMPTS, 10, 1, 100),
      silentAfterMinutes: integer('IMS_POS_SILENT_AFTER_MINUTES', env.IMS_POS_SILENT_AFTER_MINUTES, 60, 1, 7 * 24 * 60),
    },
    logLevel: nonEmpty(env.IMS_LOG_LEVEL) ?? 'info',
    cookieSecure: flag('IMS_COOKIE_SECURE', env.IMS_COOKIE_SECURE, false),
    corsOrigins: (nonEmpty(env.IMS_CORS_ORIGINS) ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    roles: rolesOf(env.IMS_ROLES),
    leaseTtlMs: integer('IMS_LEASE_TTL_MS', env.IMS_LEASE_TTL_MS, 5000, 300, 600_000),
    ...(nonEmpty(env.IMS_APPEND_IN_WORKER) !== undefined && { appendInWorker: flag('IMS_APPEND_IN_WORKER', env.IMS_APPEND_IN_WORKER, true) }),
    apiRateLimit: integer('IMS_API_RATE_LIMIT', env.IMS_API_RATE_LIMIT, 20_000, 0, 10_000_000),
  };
}

function rolesOf(text: string | undefined): ReadonlySet<Role> {
  try {
    return parseRoles(text);
  } catch (error) {
    if (error instanceof RolesError) throw new ConfigError(error.message);
    throw error;
  }
}
