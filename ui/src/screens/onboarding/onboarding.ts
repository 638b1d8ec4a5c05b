/**
 * The guided go-live flow's shapes and steps (docs/go-live.md): connect a POS, map its locations,
 * import the catalog, take opening balances, run a shadow period, go live. Every call goes
 * through the API's contract; nothing here decides what the server decides.
 */
export type PosKind = 'shopify' | 'square' | 'generic';

export interface Connection {
  id: string; kind: PosKind; locationMap: Record<string, string>; apiBaseUrl?: string; notificationUrl?: string;
  hasAccessToken: boolean; disabled: boolean;
}

export interface PosLocation { posLocationId: string; name: string; active: boolean; locationId?: string }
export interface TestAnswer { ok: boolean; kind: string; error?: string; more?: boolean; locations?: PosLocation[] }

export interface ImportJob {
  id: string; connectionId: string; status: 'running' | 'done' | 'failed'; phase?: string; scope?: string[]; asOf?: string;
  progress: { done: number; total: number }; counts: Record<string, number>; problems: Array<{ item: string; reason: string }>;
  error?: string; position?: string;
}

export interface Readiness {
  locationId: string; mode: 'shadow' | 'live'; since?: string; openingAsOf?: string; daysInShadow?: number;
  lastComparison: { at?: string; skusDiffering: number; unitsDiffering: number };
  differences: Array<{ sku: string; posQuantity?: number; ourQuantity?: number; difference?: number; at?: string; posEventId?: string }>;
  history?: Array<{ mode: string; at: string; by?: string }>;
}

export interface OpeningAnswer { imported: number; unchanged: number; valid?: number; dryRun?: boolean; asOf?: string; errors: Array<{ line: number; message: string }> }

export const STEPS = [
  { id: 'connect', title: 'Connect the POS' },
  { id: 'locations', title: 'Locations' },
  { id: 'catalog', title: 'Catalog' },
  { id: 'balances', title: 'Opening balances' },
  { id: 'shadow', title: 'Shadow period' },
  { id: 'live', title: 'Go live' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** The id the import gives a location it creates (catalog/import/import-runner.ts), so both agree. */
export const createdLocationId = (connectionId: string, posLocationId: string): string =>
  `${connectionId}-${posLocationId}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 64);

/** Readable names of an import's counts (`catalog.registered` → "products registered"). */
const COUNT_LABELS: Record<string, string> = {
  locations: 'POS locations read',
  'locations.linked': 'locations linked',
  'locations.created': 'locations created',
  'locations.unmapped': 'locations mapped to nothing',
  'catalog.registered': 'products registered',
  'catalog.linked': 'products linked',
  'catalog.unchanged': 'products unchanged',
  'balances.lines': 'balances read',
  'balances.imported': 'balances recorded',
  'balances.unchanged': 'balances already recorded',
  'balances.noCost': 'without a POS cost',
  'balances.invalidQuantity': 'negative or fractional quantities left out',
  'balances.unmappedItem': 'items mapped to no SKU',
  'balances.unmappedLocation': 'balances at unmapped locations',
};
export const countLabel = (key: string): string => COUNT_LABELS[key] ?? key.replace(/^[a-z]+\./, '').replace(/([A-Z])/g, ' $1').toLowerCase();

/** `datetime-local` text (local time) of an instant, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const fromLocalInput = (text: string): string => new Date(text).toISOString();
