import type { FastifyBaseLogger } from 'fastify';
import { v4 } from 'uuid';
import type { StockCommands } from '../../write-side/commands/types';
import type { ConnectionStore } from '../connections/connection-store';
import { KeyedLock } from './keyed-lock';
import type { ProcessDeps } from './process-delivery';

/** What the lead wires in: the write side, the POS store, and (for tests) fetch and the clock. */
export interface PosDeps {
  readonly commands: StockCommands;
  readonly connections: ConnectionStore;
  readonly fetchImpl?: typeof fetch;
  readonly clock?: () => Date;
  readonly log?: FastifyBaseLogger;
  /** Optional catalog hooks (see ProcessDeps). */
  readonly mapping?: ProcessDeps['mapping'];
  readonly topics?: ProcessDeps['topics'];
}

export function processDepsOf(deps: PosDeps): ProcessDeps {
  return {
    commands: deps.commands,
    store: deps.connections,
    fetchImpl: deps.fetchImpl ?? fetch,
    clock: deps.clock ?? (() => new Date()),
    newId: v4,
    lock: new KeyedLock(),
    ...(deps.mapping && { mapping: deps.mapping }),
    ...(deps.topics && { topics: deps.topics }),
  };
}
