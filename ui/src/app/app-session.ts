/**
 * The staff app's session. The session itself is the HttpOnly cookie the API sets at login;
 * the app keeps only the public user (name, role, locations) and the CSRF token in
 * localStorage, so an installed app relaunched offline still knows whose queue it holds and can
 * keep saving; when the server answers 401 the app asks for the password again and sends.
 */
import { ref } from 'vue';
import { api, setCsrfToken } from '../api/client';
import type { LoginAnswer, User } from '../api/types';

const USER_KEY = 'stocktide.app.user';
const CSRF_KEY = 'stocktide.app.csrf';
const DEVICE_KEY = 'stocktide.app.device';
const LOCATION_KEY = 'stocktide.app.location';

function stored(): User | undefined {
  try {
    const text = localStorage.getItem(USER_KEY);
    return text ? (JSON.parse(text) as User) : undefined;
  } catch {
    return undefined;
  }
}

export const appUser = ref<User | undefined>(stored());
setCsrfToken(localStorage.getItem(CSRF_KEY) ?? undefined);

export const locationId = ref<string>(localStorage.getItem(LOCATION_KEY) ?? appUser.value?.locations?.[0] ?? '');
export function chooseLocation(id: string): void {
  locationId.value = id;
  localStorage.setItem(LOCATION_KEY, id);
}

/** One id per installed app: the server keeps which phone counted what. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `phone-${crypto.randomUUID()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export async function appLogin(username: string, password: string): Promise<void> {
  const answer = await api.post<LoginAnswer>('/api/auth/login', { username, password });
  setCsrfToken(answer.csrfToken);
  if (answer.csrfToken) localStorage.setItem(CSRF_KEY, answer.csrfToken);
  // The queue survives a new login: the server checks every queued action against the new
  // session's role and locations, so nothing is sent beyond what the person signed in may do.
  localStorage.setItem(USER_KEY, JSON.stringify(answer.user));
  appUser.value = answer.user;
  if (!locationId.value || (answer.user.locations?.length && !answer.user.locations.includes(locationId.value))) {
    chooseLocation(answer.user.locations?.[0] ?? '');
  }
}

export const isManager = (u: User | undefined): boolean => u?.role === 'manager' || u?.role === 'admin';
