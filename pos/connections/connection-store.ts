/**
 * The POS store port: connections (with their secrets), the quarantine and the inbox of
 * observations already reconciled. Secrets and access tokens live only here: never in an event,
 * an answer or a log line. Adapters: SQLite (`${dataDir}/pos.sqlite`) and MongoDB; one contract
 * suite (`connection-store.contract.ts`) covers both.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { CreatePosConnection, PosConnectionView, UpdatePosConnection } from '../../schemas/pos';

export type PosKind = 'shopify' | 'square' | 'generic';
export type CreateConnectionBody = FromSchema<typeof CreatePosConnection>;
export type UpdateConnectionBody = FromSchema<typeof UpdatePosConnection>;
export type PosConnectionPublic = FromSchema<typeof PosConnectionView>;

/** A connection as the adapters need it, secret included. Never serialize it. */
export interface PosConnection {
  readonly id: string;
  readonly kind: PosKind;
  readonly secret: string;
  readonly locationMap: Readonly<Record<string, string>>;
  readonly skuMap: Readonly<Record<string, string>>;
  readonly notificationUrl?: string;
  readonly apiBaseUrl?: string;
  readonly accessToken?: string;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What is needed to process a webhook delivery again (quarantine retry). */
export interface StoredDelivery {
  readonly kind: PosKind | 'csv';
  /** Shopify topic or Square event type; absent for generic and CSV. */
  readonly topic?: string;
  /** Shopify `X-Shopify-Event-Id` (the body carries it for Square and generic). */
  readonly deliveryId?: string;
  /** The raw body exactly as received (UTF-8 text). */
  readonly rawBody: string;
}

export type QuarantineReason =
  | 'unmapped-location' | 'unknown-location' | 'unmapped-sku' | 'unknown-sku'
  | 'invalid-quantity' | 'order-unavailable';

export interface QuarantineItem {
  readonly id: string;
  readonly connectionId: string;
  /** The POS event id (dedupe key): one item per (connection, POS event). */
  readonly posEventId: string;
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly delivery: StoredDelivery;
  readonly status: 'open' | 'released';
  readonly receivedAt: string;
  readonly attempts: number;
  readonly lastAttemptAt?: string;
  /** Set once released: when, and the position of the effect (absent when it was a no-op). */
  readonly releasedAt?: string;
  readonly releasedPosition?: string;
  readonly releasedAs?: 'applied' | 'duplicate' | 'ignored';
}

export interface NewQuarantineItem {
  readonly id: string;
  readonly connectionId: string;
  readonly posEventId: string;
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly delivery: StoredDelivery;
  readonly receivedAt: string;
}

export interface QuarantineFilter {
  readonly status?: 'open' | 'released';
  readonly connectionId?: string;
  readonly limit?: number;
}

export type QuarantineResolution =
  | { readonly status: 'released'; readonly at: string; readonly position?: string; readonly as: 'applied' | 'duplicate' | 'ignored' }
  | { readonly status: 'open'; readonly at: string; readonly reason: QuarantineReason; readonly detail: string };

export interface ConnectionStore {
  readonly kind: 'embedded' | 'mongodb' | 'postgres';
  /** Throws ConnectionExists when the id is taken. */
  createConnection(connection: PosConnection): Promise<void>;
  getConnection(id: string): Promise<PosConnection | undefined>;
  listConnections(): Promise<PosConnection[]>;
  /** Replaces the stored connection (same id); undefined when it does not exist. */
  replaceConnection(connection: PosConnection): Promise<PosConnection | undefined>;

  /**
   * Stores an item durably before the webhook answers 202. When an item for the same
   * (connection, POS event) exists already, nothing is written and the existing item is returned.
   */
  putQuarantine(item: NewQuarantineItem): Promise<QuarantineItem>;
  getQuarantine(id: string): Promise<QuarantineItem | undefined>;
  /** Oldest first. */
  listQuarantine(filter?: QuarantineFilter): Promise<QuarantineItem[]>;
  /** Records a retry: released (kept as a record) or still open with its new reason. */
  resolveQuarantine(id: string, resolution: QuarantineResolution): Promise<QuarantineItem | undefined>;

  /** Position recorded for an observation already reconciled (dedupe of totals). */
  getProcessed(connectionId: string, posEventId: string): Promise<string | undefined>;
  putProcessed(connectionId: string, posEventId: string, position: string, at: string): Promise<void>;

  close(): Promise<void>;
}

export class ConnectionExists extends Error {
  constructor(readonly connectionId: string) {
    super(`a POS connection ${connectionId} exists already`);
    this.name = 'ConnectionExists';
  }
}

/** The public view: the secret and the access token never leave the store. */
export function publicConnection(c: PosConnection): PosConnectionPublic {
  return {
    id: c.id,
    kind: c.kind,
    locationMap: { ...c.locationMap },
    skuMap: { ...c.skuMap },
    ...(c.notificationUrl !== undefined && { notificationUrl: c.notificationUrl }),
    ...(c.apiBaseUrl !== undefined && { apiBaseUrl: c.apiBaseUrl }),
    hasAccessToken: c.accessToken !== undefined,
    disabled: c.disabled,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Applies a merge patch (null removes a map key). Pure. */
export function patchConnection(c: PosConnection, patch: UpdateConnectionBody, now: Date): PosConnection {
  const merge = (base: Readonly<Record<string, string>>, changes: Record<string, string | null> | undefined) => {
    if (!changes) return { ...base };
    const out: Record<string, string> = { ...base };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete out[key];
      else out[key] = value;
    }
    return out;
  };
  return {
    ...c,
    ...(patch.secret !== undefined && { secret: patch.secret }),
    ...(patch.notificationUrl !== undefined && { notificationUrl: patch.notificationUrl }),
    ...(patch.apiBaseUrl !== undefined && { apiBaseUrl: patch.apiBaseUrl }),
    ...(patch.accessToken !== undefined && { accessToken: patch.accessToken }),
    ...(patch.disabled !== undefined && { disabled: patch.disabled }),
    locationMap: merge(c.locationMap, patch.locationMap as Record<string, string | null> | undefined),
    skuMap: merge(c.skuMap, patch.skuMap as Record<string, string | null> | undefined),
    updatedAt: now.toISOString(),
  };
}
