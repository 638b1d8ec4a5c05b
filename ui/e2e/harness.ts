/**
 * What the browser tests need: a running Stocktide (the real composition from
 * `server/app.ts` on a temp data dir), a Chromium, and a few API helpers acting as "another user".
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ADMIN_PASSWORD = 'e2e-admin-password-1';
const REPO = resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(REPO, 'ui', 'e2e', 'screenshots');

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

type BuildApp = (options: Record<string, unknown>) => Promise<{ url: string; close(): Promise<void> }>;

export async function startServer(): Promise<RunningServer> {
  const path = process.env.E2E_APP_MODULE ?? join(REPO, 'server', 'app.ts');
  const { buildApp } = (await import(/* @vite-ignore */ path)) as { buildApp: BuildApp };
  const dataDir = await mkdtemp(join(tmpdir(), 'stocktide-e2e-'));
  const built = await buildApp({ dataDir, adminPassword: ADMIN_PASSWORD, demo: true, port: 0, host: '127.0.0.1', listen: true, logger: false });
  return {
    url: built.url,
    async close() {
      await built.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The dashboard must be built (`npm run test:e2e` does it); build it once when it is missing. */
export function ensureUiBuilt(): void {
  if (existsSync(join(REPO, 'ui', 'dist', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing: apt-get install chromium');
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** A client of the API acting as another user (Bearer token, no CSRF needed). */
export class ApiUser {
  private constructor(private readonly url: string, private readonly token: string) {}

  static async login(url: string, username: string, password: string): Promise<ApiUser> {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
    const { token } = (await response.json()) as { token: string };
    return new ApiUser(url, token);
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  private async send<T>(method: string, path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export interface StockLine { locationId: string; sku: string; onHand: number }

export async function onHand(user: ApiUser, locationId: string, sku: string, minPosition?: string): Promise<number> {
  const query = new URLSearchParams({ locationId, ...(minPosition ? { minPosition } : {}) });
  const answer = await user.get<{ items: StockLine[] }>(`/api/stock?${query}`);
  return answer.items.find((i) => i.sku === sku)?.onHand ?? 0;
}

export async function loginInBrowser(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/#/stock`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

/** True when the page itself scrolls sideways (inner containers may). */
export function pageScrollsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
