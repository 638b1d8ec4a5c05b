/**
 * The staff app's IndexedDB (`idb`): the outbox of actions not yet accepted by the server, and
 * the reference data scanning needs offline (products with their barcodes, open count sessions,
 * transfers to receive). Nothing here is a credential: the session stays in its HttpOnly cookie.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type ActionKind = 'count-scan' | 'adjustment' | 'transfer-receipt' | 'po-receipt';

/** A command as the phone made it: its own id, the time it happened, and the request that carries it. */
export interface QueuedAction {
  /** Insertion order: actions are sent in this order. */
  seq?: number;
  /** Client-generated id (scanId, adjustmentId, ...): a resend has one effect. */
  id: string;
  kind: ActionKind;
  path: string;
  body: Record<string, unknown>;
  /** When it happened on the phone (ISO). */
  at: string;
  /** A short line for people: "Hoodie +1 (count)". */
  label: string;
  status: 'pending' | 'attention';
  /** The server's problem detail, for actions it refused. */
  problem?: { status: number; title?: string; detail?: string; code?: string };
}

export interface CachedProduct { sku: string; name: string; barcodes?: string[] }

interface StaffDb extends DBSchema {
  outbox: { key: number; value: QueuedAction; indexes: { byStatus: string } };
  products: { key: string; value: CachedProduct };
  /** Lists fetched while online (count sessions, transfers), keyed by what they are. */
  lists: { key: string; value: { key: string; items: unknown[]; at: string } };
}

let opened: Promise<IDBPDatabase<StaffDb>> | undefined;

export function db(): Promise<IDBPDatabase<StaffDb>> {
  opened ??= openDB<StaffDb>('stocktide-staff', 1, {
    upgrade(database) {
      const outbox = database.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('byStatus', 'status');
      database.createObjectStore('products', { keyPath: 'sku' });
      database.createObjectStore('lists', { keyPath: 'key' });
    },
  });
  return opened;
}

/** IndexedDB clones structurally and refuses Vue's reactive proxies: store plain JSON copies. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export async function saveList(key: string, items: unknown[]): Promise<void> {
  await (await db()).put('lists', { key, items: plain(items), at: new Date().toISOString() });
}

export async function loadList<T>(key: string): Promise<T[] | undefined> {
  return (await (await db()).get('lists', key))?.items as T[] | undefined;
}

export async function replaceProducts(products: CachedProduct[]): Promise<void> {
  const tx = (await db()).transaction('products', 'readwrite');
  await tx.store.clear();
  for (const p of products) await tx.store.put({ sku: p.sku, name: p.name, ...(p.barcodes && { barcodes: p.barcodes }) });
  await tx.done;
}

export async function allProducts(): Promise<CachedProduct[]> {
  return (await db()).getAll('products');
}
