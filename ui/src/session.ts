/**
 * Who is logged in, plus the reference data every screen needs (locations, products,
 * currency). The session itself lives in the HttpOnly cookie; only the user and the CSRF
 * token are kept in sessionStorage so a reload stays logged in.
 */
import { computed, ref } from 'vue';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/client';
import type { Listing, Location, LoginAnswer, Product, User } from './api/types';
import { selectableLocations } from './permissions';

const USER_KEY = 'stocktide.user';

function storedUser(): User | undefined {
  try {
    const text = sessionStorage.getItem(USER_KEY);
    return text ? (JSON.parse(text) as User) : undefined;
  } catch {
    return undefined;
  }
}

export const user = ref<User | undefined>(storedUser());
export const currency = ref('USD');
export const locations = ref<Location[]>([]);
export const products = ref<Product[]>([]);

/** Unit costs, values and turnover are shown only to whom the API answers them (view_costs). */
export const seesCosts = computed(() => user.value?.seesCosts ?? false);

export const locationIdOf = (l: Pick<Location, 'id'>): string => l.id;

export function locationName(id: string): string {
  const found = locations.value.find((l) => locationIdOf(l) === id);
  return found ? found.name : id;
}

export function productName(sku: string): string {
  return products.value.find((p) => p.sku === sku)?.name ?? '';
}

/** Locations the user may pick (a manager or staff member: theirs only). */
type Pickable = Pick<Location, 'id' | 'name'>;
export const myLocations = computed<Pickable[]>(() => {
  const u = user.value;
  if (!u) return [];
  const allowed = new Set(selectableLocations(u, locations.value.map(locationIdOf)));
  const known = locations.value.filter((l) => allowed.has(locationIdOf(l)));
  // A scoped user may be assigned a location the catalogue read does not list (yet).
  const missing = u.role === 'manager' || u.role === 'staff'
    ? u.locations.filter((id) => !known.some((l) => locationIdOf(l) === id)).map((id) => ({ id, name: id }))
    : [];
  return [...known, ...missing];
});

function forget(): void {
  sessionExpired.value = false;
  user.value = undefined;
  sessionStorage.removeItem(USER_KEY);
  setCsrfToken(undefined);
}

/**
 * A 401 while signed in means the session expired (or was revoked): the screen stays as it is,
 * with whatever was typed, and a sign-in dialog explains why; after signing in again the person
 * carries on where they were.
 */
export const sessionExpired = ref(false);
setUnauthorizedHandler(() => {
  if (user.value) sessionExpired.value = true;
  else forget();
});

export async function login(username: string, password: string): Promise<void> {
  const answer = await api.post<LoginAnswer>('/api/auth/login', { username, password });
  setCsrfToken(answer.csrfToken);
  sessionStorage.setItem(USER_KEY, JSON.stringify(answer.user));
  sessionExpired.value = false;
  user.value = answer.user;
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/auth/logout');
  } catch {
    // The session is forgotten locally whatever the server says.
  }
  forget();
}

/** Currency from `/api/config` when the server offers it, else `/health`, else USD. */
async function loadCurrency(): Promise<void> {
  for (const path of ['/api/config', '/health']) {
    try {
      const answer = await api.get<{ currency?: unknown }>(path);
      if (typeof answer?.currency === 'string' && /^[A-Z]{3}$/.test(answer.currency)) {
        currency.value = answer.currency;
        return;
      }
    } catch {
      // optional endpoint
    }
  }
}

/** `minPosition`: a write this screen just made, so the lists include it (read-your-writes). */
export async function loadReferenceData(minPosition?: string): Promise<void> {
  const list = <T>(path: string, query: Record<string, string>): Promise<Listing<T>> =>
    api.get<Listing<T>>(path, { ...query, ...(minPosition && { minPosition }) })
      // The write not yet in the read models within 5 s (504): the list as it stands, not none.
      .catch((error: unknown) => (minPosition ? api.get<Listing<T>>(path, query) : Promise.reject(error)))
      .catch(() => ({ items: [] as T[] }) as Listing<T>);
  const [locs, prods] = await Promise.all([
    // Every location's name (a transfer may go anywhere); what a user may pick is narrowed below.
    list<Location>('/api/locations', { all: 'true' }),
    list<Product>('/api/products', {}),
    loadCurrency(),
  ]);
  locations.value = locs.items ?? [];
  products.value = prods.items ?? [];
}
