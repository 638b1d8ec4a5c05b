import type { FastifyBaseLogger } from 'fastify';
import { v7 } from 'uuid';
import type { StockCommands } from '../../write-side/commands/types';
import type { ConnectionStore } from '../connections/connection-store';
import type { InboxStore } from '../inbox/inbox-store';
import { KeyedLock } from './keyed-lock';
import type { ProcessDeps } from './process-delivery';

/** Timing of the POS intake (README: IMS_POS_* variables). */
export interface IntakeSettings {
  /** Square Orders API timeout while a POS waits. Default 800 ms: a slow upstream still leaves the answer under the 1 s p99 target. */
  readonly upstreamTimeoutMs: number;
  /** Longest wait of a POS for its answer (202 pending after it). Default 2500 ms (Shopify allows 5 s, Square 10 s). */
  readonly answerBudgetMs: number;
  /** First retry of a pending delivery after this, doubling up to `retryMaxMs`. Defaults 2 s and 5 min. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Attempts before a pending delivery is quarantined with the reason. Default 10 (about 20 min with the defaults). */
  readonly maxAttempts: number;
  /** How often the worker looks for pending deliveries nobody works on. Default 30 s. */
  readonly sweepMs: number;
  /** A connection that usually delivers and has been silent this long raises an alert. Default 60 min. */
  readonly silentAfterMinutes: number;
}

export const DEFAULT_INTAKE: IntakeSettings = {
  upstreamTimeoutMs: 800, answerBudgetMs: 2_500, retryBaseMs: 2_000, retryMaxMs: 300_000, maxAttempts: 10,
  sweepMs: 30_000, silentAfterMinutes: 60,
};

/** What the lead wires in: the write side, the POS stores, and (for tests) fetch, the clock and timings. */
export interface PosDeps {
  readonly commands: StockCommands;
  readonly connections: ConnectionStore;
  readonly fetchImpl?: typeof fetch;
  readonly clock?: () => Date;
  readonly log?: FastifyBaseLogger;
  /** Optional catalog hooks (see ProcessDeps). */
  readonly mapping?: ProcessDeps['mapping'];
  readonly topics?: ProcessDeps['topics'];
  readonly intake?: Partial<IntakeSettings>;
}

/** The webhook routes also need the durable inbox of authentic deliveries (`openInboxStore`). */
export interface PosRoutesDeps extends PosDeps {
  readonly inbox: InboxStore;
}

export function processDepsOf(deps: PosDeps): ProcessDeps {
  return {
    commands: deps.commands,
    store: deps.connections,
    fetchImpl: deps.fetchImpl ?? fetch,
    clock: deps.clock ?? (() => new Date()),
    // Time-ordered (UUIDv7): new inbox rows and their id index grow at the end of the b-tree, so
    // one group commit dirties a few pages instead of one random index page per delivery.
    newId: v7,
    lock: new KeyedLock(),
    upstreamTimeoutMs: deps.intake?.upstreamTimeoutMs ?? DEFAULT_INTAKE.upstreamTimeoutMs,
    ...(deps.mapping && { mapping: deps.mapping }),
    ...(deps.topics && { topics: deps.topics }),
  };
}
