/**
 * Staff voice and the audit trail in a real Chromium against a running Stocktide (demo chain):
 * a manager polls one store, two of its staff answer on phones, staff of another store never
 * see the poll, the manager watches the result move live and exports CSV; feedback goes from a
 * staff screen to the manager's triage list (markup shown as text, never run); a failed login,
 * a role change and a token revocation appear in the auditor's audit log with actor and IP.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, SCREENSHOTS, ensureUiBuilt, launchChromium, loginInBrowser, pageScrollsHorizontally, startServer, type RunningServer } from './harness';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };
const QUESTION = 'How likely are you to recommend Stocktide to a colleague?';
const COMMENT = 'Counting is <b>much</b> faster now';
const HOSTILE = 'Scanner freezes <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> & more';

let server: RunningServer;
let browser: Browser;
let adminToken: string;
let store: string; // the polled store
let otherStore: string;
const contexts: BrowserContext[] = [];
const password = (username: string) => `${username}-password-123`;

async function adminCall(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${server.url}${path}`, {
    method, headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}
async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}
async function signedIn(username: string, viewport = DESKTOP): Promise<Page> {
  const page = await openPage(viewport);
  await loginInBrowser(page, server.url, username, password(username));
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const createUser = (username: string, role: string, locations: string[] = []) =>
  adminCall('POST', '/api/users', { username, password: password(username), role, ...(locations.length && { locations }) });

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  browser = await launchChromium();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  adminToken = ((await login.json()) as { token: string }).token;
  const { items } = (await (await adminCall('GET', '/api/locations')).json()) as { items: Array<{ id: string; type: string }> };
  const stores = items.filter((l) => l.type === 'store').map((l) => l.id);
  [store, otherStore] = [stores[0]!, stores[1]!];
  await createUser('voice-manager', 'manager', [store]);
  await createUser('voice-staff-1', 'staff', [store]);
  await createUser('voice-staff-2', 'staff', [store]);
  await createUser('voice-staff-3', 'staff', [otherStore]);
  await createUser('voice-auditor', 'auditor');
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('staff voice and the audit trail', () => {
  let manager: Page;
  let staff1: Page;

  test('a manager polls one store; its staff answer on phones; another store never sees it; the result moves live; CSV exports', async () => {
    manager = await signedIn('voice-manager');
    await expect.poll(() => manager.locator('[data-test=live-state]').innerText()).toContain('Live');
    await manager.locator('[data-nav=polls]').click();
    await manager.getByLabel('Question').fill(QUESTION);
    await manager.getByLabel('Kind').selectOption('nps');
    await manager.getByRole('button', { name: 'Create poll' }).click();
    await manager.locator('[data-test=success]').waitFor();
    await expect.poll(() => manager.locator('[data-test=poll-score]').innerText()).toContain('0 answers');

    for (const [username, score] of [['voice-staff-1', 9], ['voice-staff-2', 10]] as const) {
      const phone = await signedIn(username, PHONE);
      const prompt = phone.locator('[data-test=poll-prompt]');
      await prompt.waitFor();
      expect(await prompt.innerText()).toContain(QUESTION);
      expect(await pageScrollsHorizontally(phone)).toBe(false);
      if (username === 'voice-staff-1') await shot(phone, 'phone-poll-prompt');
      await prompt.locator(`button[data-value="${score}"]`).click(); // one tap
      await expect.poll(() => prompt.innerText()).toContain('Thanks');
      if (username === 'voice-staff-1') staff1 = phone;
      else {
        // The optional comment replaces the answer with answer + comment (still one answer per person).
        await phone.getByLabel('Add a comment (optional)').fill(COMMENT);
        await phone.getByRole('button', { name: 'Send comment' }).click();
        await expect.poll(() => prompt.innerText()).toContain('Thanks for your comment');
      }
    }

    const outsider = await signedIn('voice-staff-3', PHONE);
    await outsider.locator('[data-test=poll-prompt-state][data-state=none]').waitFor({ state: 'attached' });
    expect(await outsider.locator('[data-test=poll-prompt]').count()).toBe(0);
    expect(await outsider.evaluate(async () => (await (await fetch('/api/polls?open=true')).json()).items.length)).toBe(0);

    // Live: the manager's page was not reloaded.
    await expect.poll(() => manager.locator('[data-test=poll-score]').innerText(), { timeout: 10_000 }).toContain('NPS +100 · 2 answers');
    expect(await manager.locator(`tr[data-location="${store}"]`).innerText()).toContain('2');
    await expect.poll(() => manager.locator('[data-test=poll-results]').innerText()).toContain(`“${COMMENT}”`);
    await shot(manager, 'desktop-poll-results');
    const [download] = await Promise.all([manager.waitForEvent('download'), manager.locator('[data-test=poll-csv]').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('scope,answers,score,value,count');
    expect(lines).toEqual(expect.arrayContaining(['all,2,100,9,1', 'all,2,100,10,1', `${store},2,100,10,1`]));
  });

  test('feedback goes from a staff screen to the manager\'s triage list, markup shown as text, and its status back', async () => {
    await staff1.getByRole('button', { name: 'Feedback' }).click();
    await staff1.getByLabel('Bug').check();
    await staff1.getByLabel('What would you like to tell us?').fill(HOSTILE);
    await staff1.getByRole('button', { name: 'Send feedback' }).click();
    await staff1.locator('#feedback-panel [data-test=success]').waitFor();

    await manager.locator('[data-nav=feedback]').click();
    const item = manager.locator('[data-test=feedback-list] li[data-feedback]').first();
    await expect.poll(() => item.locator('[data-test=feedback-text]').innerText()).toBe(HOSTILE);
    expect(await item.innerText()).toContain('voice-staff-1');
    expect(await item.innerText()).toContain('screen stock');
    expect(await manager.locator('[data-test=feedback-list] img, [data-test=feedback-list] script').count()).toBe(0);
    expect(await manager.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await item.getByRole('button', { name: 'Mark planned' }).click();
    await expect.poll(() => item.locator('[data-test=feedback-status]').innerText()).toBe('Planned');

    await staff1.locator('[data-nav=feedback]').click();
    await expect.poll(() => staff1.locator('[data-test=feedback-list] [data-test=feedback-status]').first().innerText()).toBe('Planned');
    expect(await staff1.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('a failed login, a role change and a token revocation appear in the audit log with actor and IP', async () => {
    const intruder = await openPage();
    await intruder.goto(`${server.url}/#/stock`);
    await intruder.getByLabel('Username').fill('voice-staff-3');
    await intruder.getByLabel('Password').fill('wrong-password-000');
    await intruder.getByRole('button', { name: 'Sign in' }).click();
    await intruder.locator('[data-test=problem]').waitFor();

    await adminCall('PATCH', '/api/users/voice-staff-2', { role: 'manager' });
    const token = (await (await adminCall('POST', '/api/tokens', { name: 'e2e-bi', role: 'analyst' })).json()) as { id: string };
    await adminCall('DELETE', `/api/tokens/${token.id}`);

    const auditor = await signedIn('voice-auditor');
    await auditor.locator('[data-nav=audit]').click();
    const row = (action: string) => auditor.locator(`[data-test=audit-table] tr[data-action="${action}"]`).first();
    await row('token.revoked').waitFor();
    expect(await row('auth.login_failed').locator('[data-test=audit-actor]').innerText()).toBe('voice-staff-3');
    expect(await row('auth.login_failed').locator('[data-test=audit-ip]').innerText()).toBe('127.0.0.1');
    expect(await row('user.updated').locator('[data-test=audit-actor]').innerText()).toBe('admin');
    expect(await row('user.updated').innerText()).toContain('role: "staff" → "manager"');
    expect(await row('token.revoked').locator('[data-test=audit-actor]').innerText()).toBe('admin');
    expect(await row('token.revoked').innerText()).toContain(`token:${token.id}`);
    expect(await row('token.revoked').locator('[data-test=audit-ip]').innerText()).toBe('127.0.0.1');
    await auditor.getByLabel('Action').fill('auth.login_failed');
    await auditor.getByRole('button', { name: 'Show' }).click();
    await expect.poll(async () => new Set(await auditor.locator('[data-test=audit-action]').allInnerTexts())).toEqual(new Set(['auth.login_failed']));
    await shot(auditor, 'desktop-audit-log');
  });
});
