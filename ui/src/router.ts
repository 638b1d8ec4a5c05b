/**
 * A tiny hash router: `#/stock?locationId=S1` -> { name: 'stock', params: { locationId: 'S1' } }.
 * Hash routes keep the server's SPA fallback trivial and survive reloads.
 */
import { ref } from 'vue';
import type { Capability } from './permissions';

/** Where an empty or unknown hash lands: the chain overview. */
export const DEFAULT_SCREEN = 'overview';

export const screens = [
  { name: 'stock', label: 'Stock' },
  { name: 'movements', label: 'Movements' },
  { name: 'alerts', label: 'Alerts' },
  { name: 'transfers', label: 'Transfers' },
  { name: 'receive', label: 'Receive', needs: 'receive' },
  { name: 'count', label: 'Count', needs: 'count' },
  { name: 'adjust', label: 'Adjust', needs: 'adjust' },
  { name: 'analytics', label: 'Analytics' },
  { name: 'quarantine', label: 'POS quarantine', needs: 'quarantine' },
  { name: 'replenish', label: 'Replenish' },
  { name: 'purchase-orders', label: 'Purchase orders' },
  { name: 'suppliers', label: 'Suppliers' },
  { name: 'catalog', label: 'Catalog', needs: 'catalog' },
  { name: 'polls', label: 'Polls', needs: 'polls' },
  { name: 'feedback', label: 'Feedback' },
  { name: 'audit', label: 'Audit log', needs: 'audit' },
  { name: 'overview', label: 'Overview' },
  { name: 'forecast', label: 'Forecast' },
  { name: 'pos-health', label: 'POS health', needs: 'posHealth' },
  { name: 'product', label: 'Product', inNav: false },
  { name: 'onboarding', label: 'Go-live', needs: 'onboarding' },
] as const satisfies ReadonlyArray<{ name: string; label: string; needs?: Capability; inNav?: false }>;

/** The page title of a screen (one per screen, for tabs, history and screen readers). */
export const titleOf = (name: ScreenName): string => `${screens.find((s) => s.name === name)?.label ?? 'Stock'} · Stocktide`;

export type ScreenName = (typeof screens)[number]['name'];

export interface Route {
  name: ScreenName;
  params: Record<string, string>;
}

const names = new Set<string>(screens.map((s) => s.name));

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const name = names.has(path) ? (path as ScreenName) : DEFAULT_SCREEN;
  return { name, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function hrefOf(name: ScreenName, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return `#/${name}${text ? `?${text}` : ''}`;
}

export const route = ref<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

export function startRouter(): void {
  window.addEventListener('hashchange', () => {
    route.value = parseHash(location.hash);
  });
}

export function navigate(name: ScreenName, params: Record<string, string | undefined> = {}): void {
  location.hash = hrefOf(name, params);
}
