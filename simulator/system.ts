/**
 * The real Stocktide, in-process, as the simulator talks to it: `buildApp` on its own data
 * directory with an injected manual clock, every call through `app.inject` on the real routes
 * (an admin API token), sales and returns as signed generic POS webhooks.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { buildApp, type BuiltApp } from '../server/app';
import { manualClock, systemClock, type ManualClock } from '../server/clock';
import { API_TOKEN_PREFIX, hashToken, newToken, newTokenId } from '../security/secrets';

/**
 * Where the run's stores live: IMS_SIM_DIR, else RAM (/dev/shm) where there is one. The
 * simulation measures what replenishment does to shelves, not the disk's fsync latency, and
 * a run appends hundreds of thousands of durable commits.
 */
const simulationRoot = () => process.env['IMS_SIM_DIR'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

export const POS_CONNECTION = 'sim-pos';
/** Deliveries of one ticket answered 202 "still processing" before the simulation gives up. */
const WEBHOOK_ATTEMPTS = 60;
const POS_SECRET = 'simulated-till-secret';
/** The POS's own location ids (the connection maps them to Stocktide's). */
export const posLocationOf = (locationId: string) => `TILL-${locationId}`;

export class SystemCallError extends Error {
  constructor(readonly method: string, readonly url: string, readonly status: number, readonly body: string) {
    super(`${method} ${url} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'SystemCallError';
  }
}

export interface SimSystem {
  readonly built: BuiltApp;
  readonly clock: ManualClock;
  readonly dataDir: string;
  /** `http://host:port` when listening (the live demo), else ''. */
  readonly url: string;
  /** A call that must answer 2xx: the parsed body. */
  call<T = Record<string, unknown>>(method: InjectOptions['method'], url: string, body?: unknown): Promise<T>;
  /** A signed generic webhook; `{position}` or `{duplicate, position}`. */
  webhook(event: { eventId: string; type: 'sale' | 'return'; locationId: string; occurredAt: string; lines: Array<{ sku: string; quantity: number }> }): Promise<{ position: string }>;
  /** CPU by kind of call while it was in flight (with IMS_SIM_CALL_CPU set; else empty). */
  callCpu(): string[];
  /** Waits until the projections include everything appended so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSystem(start: Date, options: { keep?: boolean; live?: { listen: { port: number; host: string } } } = {}): Promise<SimSystem> {
  const dataDir = mkdtempSync(join(simulationRoot(), 'stocktide-sim-'));
  // Live: the system clock (setting it is a no-op, the wall clock moves by itself).
  const clock: ManualClock = options.live ? { now: systemClock, set: () => {}, advance: () => {} } : manualClock(start);
  const quiet = console.log;
  console.log = () => {}; // the bootstrap admin's announcement
  let built: BuiltApp;
  try {
    built = await buildApp({
      dataDir, demo: false, logger: false, clock: clock.now,
      adminPassword: options.live ? process.env['IMS_ADMIN_PASSWORD'] ?? 'stocktide-demo' : 'simulator-admin-password-1',
      ...(options.live && { listen: true, port: options.live.listen.port, host: options.live.listen.host }),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    console.log = quiet;
  }
  const token = newToken(API_TOKEN_PREFIX);
  await built.services.identity.createApiToken({
    id: newTokenId(), name: 'simulator', tokenHash: hashToken(token), role: 'admin', locations: [], createdAt: clock.now().toISOString(),
  });
  const authorization = `Bearer ${token}`;

  /** CPU ms spent in each kind of call, while it was in flight (IMS_SIM_CALL_CPU=1, for profiling). */
  const callCpu = process.env['IMS_SIM_CALL_CPU'] ? new Map<string, { n: number; ms: number }>() : undefined;
  const timed = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (!callCpu) return run();
    const before = process.cpuUsage();
    try {
      return await run();
    } finally {
      const used = process.cpuUsage(before);
      const kind = what.replace(/\?.*$/, '').replace(/\/(po|tr|TR|PO)[^/]*/g, '/:id').replace(/[0-9a-f]{8,}/g, ':id');
      const entry = callCpu.get(kind) ?? { n: 0, ms: 0 };
      entry.n += 1;
      entry.ms += (used.user + used.system) / 1000;
      callCpu.set(kind, entry);
    }
  };

  async function call<T>(method: InjectOptions['method'], url: string, body?: unknown): Promise<T> {
    return timed(`${String(method)} ${url}`, () => callOnce<T>(method, url, body));
  }
  async function callOnce<T>(method: InjectOptions['method'], url: string, body?: unknown): Promise<T> {
    const res = await built.app.inject({ method, url, headers: { authorization }, ...(body !== undefined && { payload: body as object }) });
    if (res.statusCode < 200 || res.statusCode >= 300) throw new SystemCallError(String(method), url, res.statusCode, res.body);
    return (res.body ? res.json() : {}) as T;
  }

  /**
   * A till delivers a ticket and, when the answer is 202 (stored, still processing: a busy
   * machine), delivers the same signed ticket again until it is answered: the eventId makes
   * the repeat a duplicate, never a second sale. So the day's sales are in the log before the
   * simulation moves on.
   */
  async function webhook(event: Parameters<SimSystem['webhook']>[0]): Promise<{ position: string }> {
    const body = JSON.stringify({ ...event, locationId: posLocationOf(event.locationId) });
    const signature = `sha256=${createHmac('sha256', POS_SECRET).update(body).digest('hex')}`;
    for (let attempt = 1; ; attempt += 1) {
      const res = await built.app.inject({
        method: 'POST', url: `/pos/${POS_CONNECTION}/webhook`, payload: body,
        headers: { 'content-type': 'application/json', 'x-ims-signature': signature },
      });
      if (res.statusCode === 200) return res.json() as { position: string };
      // 202 with a reason is a delivery kept for processing; one without would be quarantine
      // (the simulator only sends known SKUs at mapped locations).
      const pending = res.statusCode === 202 && (res.json() as { pending?: boolean }).pending === true;
      if (!pending || attempt >= WEBHOOK_ATTEMPTS) throw new SystemCallError('POST', `/pos/${POS_CONNECTION}/webhook`, res.statusCode, res.body);
      await delay(1_000);
    }
  }

  return {
    built, clock, dataDir, call, url: built.url,
    webhook: (event) => timed(`POST webhook ${event.type}`, () => webhook(event)),
    callCpu: () => (callCpu ? [...callCpu].sort((a, b) => b[1].ms - a[1].ms).map(([kind, v]) => `${kind}: ${v.n} calls, ${Math.round(v.ms)} ms CPU`) : []),
    async settle() {
      const head = await built.services.eventStore.headPosition();
      await built.services.runner.waitForPosition(head, 60_000);
    },
    async close() {
      try {
        await built.close();
      } finally {
        if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Registers the POS connection that carries every store's till. */
export async function connectTills(system: SimSystem, locations: readonly string[]): Promise<void> {
  await system.call('POST', '/api/pos/connections', {
    id: POS_CONNECTION, kind: 'generic', secret: POS_SECRET,
    locationMap: Object.fromEntries(locations.map((l) => [posLocationOf(l), l])),
  });
}
