/**
 * The write model and the read models must agree on every balance, whatever mix of commands,
 * repeats and late till events arrives: a property over random command sequences, through the
 * real command service, the embedded event store and the projection runner.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqliteEventStore } from '../write-side/eventstore/sqlite-event-store';
import { IdempotencyConflictError } from '../write-side/eventstore/port';
import { createStockCommands } from '../write-side/commands/service';
import type { CommandContext, StockCommands } from '../write-side/commands/types';
import { BusinessRuleViolation } from '../write-side/domain/errors';
import { MemoryReadStore } from '../projections/readstore/memory-read-store';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { projections } from '../projections/models/index';
import { COLLECTIONS } from '../projections/models/collections';
import { outboxProjection } from '../outbound/outbox-projection';
import { OUTBOX } from '../outbound/notifications';

const LOCATIONS = ['a', 'b'] as const;
const SKUS = ['x', 'y'] as const;
const T0 = Date.parse('2026-03-02T12:00:00.000Z');
const HOUR = 3_600_000;

type Step =
  | { kind: 'receive'; loc: number; sku: number; qty: number }
  | { kind: 'sale'; loc: number; sku: number; qty: number; ageHours: number; id: number }
  | { kind: 'return'; loc: number; sku: number; qty: number; id: number }
  | { kind: 'adjust'; loc: number; sku: number; qty: number }
  | { kind: 'count'; loc: number; sku: number; counted: number; ageHours: number }
  | { kind: 'transfer'; from: number; sku: number; qty: number; receive: 'all' | 'part' | 'none' };

const loc = fc.integer({ min: 0, max: 1 });
const sku = fc.integer({ min: 0, max: 1 });
const qty = fc.integer({ min: 1, max: 6 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), loc, sku, qty }),
  // Sale ids collide on purpose: a repeated POS event must count once.
  fc.record({ kind: fc.constant('sale' as const), loc, sku, qty, ageHours: fc.integer({ min: 0, max: 30 }), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('return' as const), loc, sku, qty, id: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('adjust' as const), loc, sku, qty: fc.integer({ min: -4, max: 4 }).filter((q) => q !== 0) }),
  fc.record({ kind: fc.constant('count' as const), loc, sku, counted: fc.integer({ min: 0, max: 15 }), ageHours: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('transfer' as const), from: loc, sku, qty, receive: fc.constantFrom('all' as const, 'part' as const, 'none' as const) }),
);

async function apply(commands: StockCommands, steps: Step[]): Promise<void> {
  let clock = T0;
  const ctx = (): CommandContext => ({ actor: { kind: 'system', id: 'property' }, source: 'test', correlationId: 'c', now: new Date((clock += 60_000)) });
  const at = (hoursAgo: number) => new Date(clock - hoursAgo * HOUR).toISOString();
  for (const [i, s] of steps.entries()) {
    try {
      switch (s.kind) {
        case 'receive':
          await commands.receiveStock({ locationId: LOCATIONS[s.loc]!, lines: [{ sku: SKUS[s.sku]!, quantity: s.qty }] }, ctx());
          break;
        case 'sale':
          await commands.recordSale({
            locationId: LOCATIONS[s.loc]!, occurredAt: at(s.ageHours), lines: [{ sku: SKUS[s.sku]!, quantity: s.qty }],
            pos: { connectionId: 'till', kind: 'generic', eventId: `sale-${s.id}` },
          }, ctx());
          break;
        case 'return':
          await commands.recordReturn({
            locationId: LOCATIONS[s.loc]!, lines: [{ sku: SKUS[s.sku]!, quantity: s.qty }],
            pos: { connectionId: 'till', kind: 'generic', eventId: `return-${s.id}` },
          }, ctx());
          break;
        case 'adjust':
          await commands.adjustStock({ locationId: LOCATIONS[s.loc]!, sku: SKUS[s.sku]!, quantity: s.qty, reason: 'correction' }, ctx());
          break;
        case 'count':
          await commands.countStock({ locationId: LOCATIONS[s.loc]!, countedAt: at(s.ageHours), lines: [{ sku: SKUS[s.sku]!, countedQuantity: s.counted }] }, ctx());
          break;
        case 'transfer': {
          const { id } = await commands.createTransfer({
            id: `t${i}`, fromLocationId: LOCATIONS[s.from]!, toLocationId: LOCATIONS[1 - s.from]!, lines: [{ sku: SKUS[s.sku]!, quantity: s.qty }],
          }, ctx());
          await commands.dispatchTransfer(id, ctx());
          if (s.receive === 'all') await commands.receiveTransfer(id, {}, ctx());
          if (s.receive === 'part') await commands.receiveTransfer(id, { lines: [{ sku: SKUS[s.sku]!, quantity: s.qty - 1 }] }, ctx());
          break;
        }
        default: {
          const _exhaustive: never = s;
          throw new Error(`unknown step ${String(_exhaustive)}`);
        }
      }
    } catch (error) {
      // Rules may refuse a step (not enough stock, a superseded count, one POS event id claimed
      // for another location): refused steps change nothing.
      if (!(error instanceof BusinessRuleViolation) && !(error instanceof IdempotencyConflictError)) throw error;
    }
  }
}

describe('write model and read models agree', () => {
  it('given any sequence of receipts, sales (repeated and late), returns, adjustments, counts and transfers, then every balance, the ledger, the outbox\'s announced balance and in-transit agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const eventStore = new SqliteEventStore({ path: ':memory:' });
        const readStore = new MemoryReadStore();
        const commands = createStockCommands(eventStore);
        const runner = new ProjectionRunner({ eventStore, readStore, projections: [...projections, outboxProjection] });
        try {
          const ctx: CommandContext = { actor: { kind: 'system', id: 'property' }, source: 'test', correlationId: 'setup', now: new Date(T0) };
          for (const id of LOCATIONS) await commands.registerLocation({ id, name: id, type: 'store' }, ctx);
          for (const s of SKUS) await commands.registerProduct({ sku: s, name: s, unitCost: 100 }, ctx);
          await apply(commands, steps);
          await runner.start();
          expect(await runner.waitForPosition(await eventStore.headPosition(), 10_000)).toBe(true);

          let transitOut = 0;
          let transitIn = 0;
          for (const l of LOCATIONS) {
            for (const s of SKUS) {
              const writeSide = await commands.onHand(l, s);
              const doc = await readStore.get<{ _id: string; onHand: number; inTransitIn: number; inTransitOut: number }>(COLLECTIONS.stock, `${l}|${s}`);
              expect(doc?.onHand ?? 0, `onHand of ${s} at ${l}`).toBe(writeSide);
              // The outbox keeps its own running balance for `stock.changed`: it must say the same.
              const announced = await readStore.get<{ _id: string; onHand: number }>(OUTBOX.balances, `${l}|${s}`);
              expect(announced?.onHand ?? 0, `announced onHand of ${s} at ${l}`).toBe(writeSide);
              transitOut += doc?.inTransitOut ?? 0;
              transitIn += doc?.inTransitIn ?? 0;
              const ledger = await readStore.find<{ _id: string; balance: number }>(COLLECTIONS.ledger, {
                where: { locationId: l, sku: s }, orderBy: [['_id', 'asc']],
              });
              if (ledger.length > 0) expect(ledger[ledger.length - 1]!.balance, `ledger end of ${s} at ${l}`).toBe(writeSide);
            }
          }
          expect(transitIn).toBe(transitOut);
        } finally {
          await runner.stop();
          await eventStore.close();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25) },
    );
  });
});
