/**
 * One policy over the simulated days, against its own in-process Stocktide (system.ts).
 *
 * The simulator is the world: it knows the true shelves, makes demand meet them (a sale only
 * from stock; demand that meets an empty shelf is lost and only the simulator counts it),
 * removes units silently (shrinkage) until a weekly cycle count finds them, brings returns,
 * and delivers purchase orders after their (varying) lead time and transfers after their
 * transit. Stocktide only hears what a shop would tell it: till sales and returns as signed
 * POS webhooks, receipts against purchase orders and transfers, counts.
 *
 * A day: 07:00 deliveries arrive and are received · 12:00 the tills' sales · 15:00 returns ·
 * (silent shrinkage) · 20:00 cycle counts · 21:00 the policy reviews and orders.
 *
 * Both policies run the same 28-day warm-up (the baseline's weekly review on a planner's
 * first guess), so they part from one history; from day 28 the baseline sets fixed levels from
 * those four weeks' sales and the Stocktide manager accepts the reorder suggestions daily.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { from, lastValueFrom, mergeMap } from 'rxjs';
import { COLLECTIONS, type StockDoc } from '../projections/models/collections';
import { SuggestionAction } from '../schemas/purchasing';
import { createChain, DAY_MS, START, WARM_UP_DAYS, type Chain, type SimOptions } from './chain';
import { rngFor } from './random';
import { connectTills, startSystem, type SimSystem } from './system';

export type PolicyName = 'baseline' | 'stocktide';

export interface Episode {
  readonly source: 'supplier' | 'transfer';
  readonly days: number;
}

export interface DayRecord {
  readonly day: number;
  readonly demand: number;
  readonly sold: number;
  readonly lost: number;
  /** Store × SKU pairs with demand unmet that day. */
  readonly stockouts: number;
  readonly lostValue: number;
  /** Cost of goods sold (minor units). */
  readonly cogs: number;
  /** End of day: shelves and warehouse (true quantities) plus transfers on the road, at cost. */
  readonly inventoryValue: number;
  /** Wall and CPU milliseconds the day took in this process, and the CPU by step of the day (profiling the run). */
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly stepCpuMs: Readonly<Record<DayStep, number>>;
}

export const DAY_STEPS = ['deliveries', 'sales', 'returns', 'counts', 'review'] as const;
export type DayStep = (typeof DAY_STEPS)[number];

export interface PolicyRun {
  readonly policy: PolicyName;
  readonly days: readonly DayRecord[];
  readonly episodes: readonly Episode[];
  readonly purchaseOrders: number;
  readonly transfers: number;
  readonly events: number;
  readonly seconds: number;
  /** CPU seconds (user + system) of this process during the run: with side-by-side policies, what one core gave it. */
  readonly cpuSeconds: number;
  /** Set when `check` was asked: every location × SKU where Stocktide's on hand ≠ true shelf + unfound shrinkage. */
  readonly conservation?: { readonly checked: number; readonly unfoundShrinkage: number; readonly mismatches: ReadonlyArray<{ locationId: string; sku: string; stocktide: number; shelf: number; unfoundShrinkage: number }> };
  /** Set with `keepData`: the data directory of the run's Stocktide (for `npm run rebuild`). */
  readonly dataDir?: string;
  /** Demand the policy met, per store × SKU × day (only with `recordDemand`, for tests). */
  readonly demandSeen?: Int32Array;
  /** Per store × SKU (index store × SKUs + SKU), after the warm-up: days with demand unmet, units demanded, units lost. */
  readonly cells: { readonly stockoutDays: Int32Array; readonly demand: Int32Array; readonly lost: Int32Array; readonly promotionStockoutDays: Int32Array };
}

export interface RunOptions {
  readonly check?: boolean;
  readonly keepData?: boolean;
  readonly recordDemand?: boolean;
  readonly progress?: (message: string) => void;
  /**
   * The live demo (demo.ts): the same world on the wall clock, one simulated day every
   * `dayMs`, Stocktide listening on `listen`, until `signal` aborts (then the run ends
   * cleanly and returns what it has). Reorder rules are set from the first guess at once, so
   * suggestions show from the first day.
   */
  readonly live?: { readonly dayMs: number; readonly signal: AbortSignal; readonly listen: { port: number; host: string }; readonly onListening?: (url: string) => void };
}

interface OpenOrder {
  readonly id: string;
  readonly location: number;
  readonly supplier: number;
  readonly lines: ReadonlyArray<{ k: number; quantity: number }>;
  readonly arrival: number;
}

interface Shipment {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly lines: ReadonlyArray<{ k: number; quantity: number; shipped: number }>;
  readonly arrival: number;
}

const LINES_PER_CALL = 1000;
/** Receipts, sends and dispatches in flight at once (inTurn). */
const IN_FLIGHT = 8;
/** Most suggestion ids `POST /api/reorder-suggestions/apply` takes at once. */
const APPLY_LIMIT = SuggestionAction.properties.suggestionIds.maxItems;
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const at = (day: number, hour: number) => new Date(START + day * DAY_MS + hour * 3_600_000);

/**
 * A shop's rule of thumb without Stocktide: reorder when stock plus open orders falls to the
 * sales expected over the lead time and the week until the next review; order up to one more
 * week on top. At least one unit on the shelf.
 */
export function ruleOfThumb(dailySales: number, leadTimeDays: number): { reorderPoint: number; orderUpTo: number } {
  const reorderPoint = Math.max(1, Math.ceil(dailySales * (leadTimeDays + 7)));
  return { reorderPoint, orderUpTo: reorderPoint + Math.max(1, Math.ceil(dailySales * 7)) };
}

/** Units to order to reach `upTo` from `position`: whole packs (the pack is the minimum order). */
export const packsFor = (upTo: number, position: number, packSize: number): number =>
  Math.ceil(Math.max(0, upTo - position) / packSize) * packSize;

export async function runPolicy(input: SimOptions, policy: PolicyName, options: RunOptions = {}): Promise<PolicyRun> {
  const chain = createChain(input);
  const { stores, skus, suppliers } = chain;
  const S = stores.length;
  const K = skus.length;
  const D = chain.options.days;
  if (D <= WARM_UP_DAYS + 6) throw new Error(`--days must exceed ${WARM_UP_DAYS + 6} (a ${WARM_UP_DAYS}-day warm-up, then at least a week)`);
  const locations = [...stores, chain.warehouse];
  const idx = (l: number, k: number) => l * K + k;
  const began = performance.now();
  const cpuBefore = process.cpuUsage();

  const live = options.live;
  const system = await startSystem(at(0, 6), { keep: options.keepData ?? false, ...(live && { live: { listen: live.listen } }) });
  if (live) live.onListening?.(system.url);
  const liveStart = Date.now();
  /** Moves the world to (day, hour): the simulated clock jumps; the live demo waits for the wall clock. */
  const moveTo = async (day: number, hour: number): Promise<Date> => {
    if (!live) {
      system.clock.set(at(day, hour));
      return at(day, hour);
    }
    const due = liveStart + (day + hour / 24) * live.dayMs;
    if (due > Date.now()) await delay(due - Date.now(), undefined, { signal: live.signal }).catch(() => undefined);
    if (live.signal.aborted) throw new Stopped();
    return new Date();
  };
  try {
    await setUp(system, chain);

    // The world's state: true shelves (stores and warehouse), shrinkage no count has found yet.
    const shelf = new Int32Array((S + 1) * K);
    const unfound = new Int32Array((S + 1) * K);
    const onOrder = new Int32Array((S + 1) * K);
    const soldByDay: Int32Array[] = Array.from({ length: 7 }, () => new Int32Array(S * K));
    const salesTotal = new Float64Array(S * K);
    const episodeOpened = new Int32Array(S * K).fill(-1);
    const episodes: Episode[] = [];
    const orders: OpenOrder[] = [];
    const shipments: Shipment[] = [];
    const records: DayRecord[] = [];
    const demandSeen = options.recordDemand ? new Int32Array(S * K * D) : undefined;
    const cells = { stockoutDays: new Int32Array(S * K), demand: new Int32Array(S * K), lost: new Int32Array(S * K), promotionStockoutDays: new Int32Array(S * K) };
    const onPromotion = (k: number, day: number) => chain.demand.skus[k]!.promotions.some((p) => day >= p.start && day < p.end);
    let purchaseOrders = 0;
    let transfers = 0;

    // Levels of the baseline's review: first a planner's guess (the warm-up), then four weeks of sales.
    const levels = { reorderPoint: new Int32Array(S * K), orderUpTo: new Int32Array(S * K) };
    const setLevels = (dailyOf: (s: number, k: number) => number) => {
      for (let s = 0; s < S; s += 1) {
        for (let k = 0; k < K; k += 1) {
          const l = ruleOfThumb(dailyOf(s, k), suppliers[skus[k]!.supplier]!.leadTimeDays);
          levels.reorderPoint[idx(s, k)] = l.reorderPoint;
          levels.orderUpTo[idx(s, k)] = l.orderUpTo;
        }
      }
    };
    setLevels((s, k) => {
      let week = 0;
      for (let d = 0; d < 7; d += 1) week += chain.demand.expected(s, k, d);
      return (week / 7) * Math.exp(0.3 * rngFor(chain.options.seed, 'guess', s, k).normal());
    });

    // Opening stock: every store filled to its first order-up-to level.
    await moveTo(0, 6);
    for (let s = 0; s < S; s += 1) {
      const lines = skus.map((p, k) => ({ sku: p.sku, quantity: levels.orderUpTo[idx(s, k)]!, unitCost: p.unitCost }));
      for (const part of chunks(lines, LINES_PER_CALL)) await system.call('POST', '/api/stock/receipts', { locationId: stores[s], lines: part, reference: 'opening stock' });
      for (let k = 0; k < K; k += 1) shelf[idx(s, k)] = levels.orderUpTo[idx(s, k)]!;
    }
    if (live) await setRules(system, chain, levels);

    const closeEpisode = (l: number, k: number, day: number, source: Episode['source']) => {
      if (l >= S) return;
      const opened = episodeOpened[idx(l, k)]!;
      if (opened < 0) return;
      episodeOpened[idx(l, k)] = -1;
      if (opened >= WARM_UP_DAYS) episodes.push({ source, days: day - opened });
    };

    try {
      for (let day = 0; day < D; day += 1) {
        const dayWall = performance.now();
        const dayCpu = cpuMsNow();
        const stepCpuMs = Object.fromEntries(DAY_STEPS.map((step) => [step, 0])) as Record<DayStep, number>;
        let stepStart = dayCpu;
        const stepDone = (step: DayStep) => {
          const now = cpuMsNow();
          stepCpuMs[step] += now - stepStart;
          stepStart = now;
        };
        // 07:00: what is due arrives and is received against its order or transfer.
        await moveTo(day, 7);
        const arriving = orders.filter((o) => o.arrival === day);
        await inTurn(arriving, (order) => system.call('POST', `/api/purchase-orders/${order.id}/receive`, { lines: order.lines.map((l) => ({ sku: skus[l.k]!.sku, quantity: l.quantity })) }));
        for (const order of arriving) {
          for (const l of order.lines) {
            bump(shelf, idx(order.location, l.k), l.quantity);
            bump(onOrder, idx(order.location, l.k), -l.quantity);
            closeEpisode(order.location, l.k, day, 'supplier');
          }
        }
        removeWhere(orders, (o) => o.arrival === day);
        const unloading = shipments.filter((t) => t.arrival === day);
        await inTurn(unloading, (shipment) => {
          const complete = shipment.lines.every((l) => l.shipped === l.quantity);
          // A short shipment: the receiver counts what came (0 for a line that did not, so a truck
          // that brought nothing still closes the transfer); the rest is the transfer's shortfall.
          return system.call('POST', `/api/transfers/${shipment.id}/receive`, complete ? {} : {
            lines: shipment.lines.map((l) => ({ sku: skus[l.k]!.sku, quantity: l.shipped })), final: true,
          });
        });
        for (const shipment of unloading) {
          for (const l of shipment.lines) {
            bump(shelf, idx(shipment.to, l.k), l.shipped);
            closeEpisode(shipment.to, l.k, day, 'transfer');
          }
        }
        removeWhere(shipments, (t) => t.arrival === day);
        stepDone('deliveries');

        // 12:00: the day's demand meets the shelves; the tills report what sold.
        const noon = await moveTo(day, 12);
        const today = soldByDay[day % 7]!;
        const tickets: Array<Parameters<SimSystem['webhook']>[0]> = [];
        today.fill(0);
        let demandTotal = 0, soldTotal = 0, lostTotal = 0, stockouts = 0, lostValue = 0, cogs = 0;
        for (let s = 0; s < S; s += 1) {
          const lines: Array<{ sku: string; quantity: number }> = [];
          for (let k = 0; k < K; k += 1) {
            const wanted = chain.demand.demand(s, k, day);
            if (demandSeen) demandSeen[(s * K + k) * D + day] = wanted;
            if (wanted === 0) continue;
            const i = idx(s, k);
            const sold = Math.min(wanted, shelf[i]!);
            bump(shelf, i, -sold);
            today[i] = sold;
            bump(salesTotal, i, sold);
            demandTotal += wanted;
            soldTotal += sold;
            lostTotal += wanted - sold;
            if (day >= WARM_UP_DAYS) {
              bump(cells.demand, i, wanted);
              bump(cells.lost, i, wanted - sold);
              if (sold < wanted) bump(cells.stockoutDays, i, 1);
              if (sold < wanted && onPromotion(k, day)) bump(cells.promotionStockoutDays, i, 1);
            }
            if (sold < wanted) {
              stockouts += 1;
              lostValue += (wanted - sold) * skus[k]!.price;
            }
            cogs += sold * skus[k]!.unitCost;
            if (sold > 0) lines.push({ sku: skus[k]!.sku, quantity: sold });
          }
          for (const [part, lineChunk] of chunks(lines, LINES_PER_CALL).entries()) {
            tickets.push({ eventId: `sale-${stores[s]}-${day}-${part}`, type: 'sale', locationId: stores[s]!, occurredAt: noon.toISOString(), lines: lineChunk });
          }
        }
        // Each store's till reports on its own: the tickets arrive side by side.
        await inTurn(tickets.splice(0), (ticket) => system.webhook(ticket));

        stepDone('sales');

        // 15:00: a few customers bring back something they bought in the last week.
        const afternoon = await moveTo(day, 15);
        for (let s = 0; s < S; s += 1) {
          const lines: Array<{ sku: string; quantity: number }> = [];
          for (let k = 0; k < K; k += 1) {
            const i = idx(s, k);
            let lastWeek = 0;
            for (const sold of soldByDay) lastWeek += sold[i]!;
            if (lastWeek > 0 && chain.returns(s, k, day)) {
              bump(shelf, i, 1);
              lines.push({ sku: skus[k]!.sku, quantity: 1 });
            }
          }
          for (const [part, lineChunk] of chunks(lines, LINES_PER_CALL).entries()) {
            tickets.push({ eventId: `return-${stores[s]}-${day}-${part}`, type: 'return', locationId: stores[s]!, occurredAt: afternoon.toISOString(), lines: lineChunk });
          }
        }
        await inTurn(tickets.splice(0), (ticket) => system.webhook(ticket));

        stepDone('returns');

        // Silent shrinkage: nobody tells Stocktide.
        for (let s = 0; s < S; s += 1) {
          for (let k = 0; k < K; k += 1) {
            const i = idx(s, k);
            if (shelf[i]! > 0 && chain.shrinks(s, k, day)) {
              bump(shelf, i, -1);
              bump(unfound, i, 1);
            }
          }
        }

        // 20:00: each store counts a quarter of its SKUs once a week (on its own weekday).
        const evening = await moveTo(day, 20);
        const week = Math.floor(day / 7);
        for (let s = 0; s < S; s += 1) {
          if (day % 7 !== s % 7) continue;
          const counted = skus.map((_, k) => k).filter((k) => k % 4 === week % 4);
          const lines = counted.map((k) => ({ sku: skus[k]!.sku, countedQuantity: shelf[idx(s, k)]! }));
          for (const part of chunks(lines, 5000)) await system.call('POST', '/api/stock/counts', { locationId: stores[s], lines: part, countedAt: evening.toISOString() });
          for (const k of counted) unfound[idx(s, k)] = 0;
        }

        stepDone('counts');

        // 21:00: the policy reviews.
        await moveTo(day, 21);
        if (day === WARM_UP_DAYS) {
          // The four weeks before today (days 0-27): today's sales are not part of them.
        setLevels((s, k) => (salesTotal[idx(s, k)]! - today[idx(s, k)]!) / WARM_UP_DAYS);
          if (policy === 'stocktide') await setRules(system, chain, levels);
        }
        if (policy === 'baseline' || day < WARM_UP_DAYS) {
          // Below its reorder point (stock on the books plus open orders): a replenishment is due.
          for (let s = 0; s < S; s += 1) {
            for (let k = 0; k < K; k += 1) {
              const i = idx(s, k);
              if (episodeOpened[i]! < 0 && shelf[i]! + unfound[i]! + onOrder[i]! < levels.reorderPoint[i]!) episodeOpened[i] = day;
            }
          }
          purchaseOrders += await baselineReview(day);
        } else {
          const done = await stocktideReview(day);
          purchaseOrders += done.purchaseOrders;
          transfers += done.transfers;
        }

        // End of day: the inventory the chain owns (shelves, warehouse, on the road), at cost.
        let inventoryValue = 0;
        for (let l = 0; l <= S; l += 1) for (let k = 0; k < K; k += 1) inventoryValue += shelf[idx(l, k)]! * skus[k]!.unitCost;
        for (const t of shipments) for (const l of t.lines) inventoryValue += l.shipped * skus[l.k]!.unitCost;
        stepDone('review');
        const wallMs = performance.now() - dayWall;
        const cpuMs = cpuMsNow() - dayCpu;
        records.push({ day, demand: demandTotal, sold: soldTotal, lost: lostTotal, stockouts, lostValue, cogs, inventoryValue, wallMs, cpuMs, stepCpuMs });
        if (live) options.progress?.(`${policy}: day ${day + 1}/${D}`);
        else if (day % 7 === 6) {
          const week = records.slice(-7);
          const perDay = (f: (r: DayRecord) => number) => (week.reduce((a, r) => a + f(r), 0) / week.length / 1000).toFixed(2);
          options.progress?.(`${policy}: day ${day + 1}/${D} (last ${week.length} days, a day: ${perDay((r) => r.wallMs)} s wall, ${perDay((r) => r.cpuMs)} s CPU: `
            + `${DAY_STEPS.map((step) => `${step} ${perDay((r) => r.stepCpuMs[step])}`).join(', ')})`);
        }
      }
    } catch (error) {
      if (!(error instanceof Stopped)) throw error; // the live demo was stopped: end cleanly with what there is
    }

    let conservation: PolicyRun['conservation'];
    if (options.check) {
      await system.settle();
      const docs = await system.built.services.readStore.find<StockDoc>(COLLECTIONS.stock, {});
      const byKey = new Map(docs.map((d) => [`${d.locationId}|${d.sku}`, d.onHand]));
      const mismatches = [];
      for (let l = 0; l <= S; l += 1) {
        for (let k = 0; k < K; k += 1) {
          const stocktide = byKey.get(`${locations[l]}|${skus[k]!.sku}`) ?? 0;
          const i = idx(l, k);
          if (stocktide !== shelf[i]! + unfound[i]!) mismatches.push({ locationId: locations[l]!, sku: skus[k]!.sku, stocktide, shelf: shelf[i]!, unfoundShrinkage: unfound[i]! });
        }
      }
      conservation = { checked: (S + 1) * K, unfoundShrinkage: unfound.reduce((a, b) => a + b, 0), mismatches };
    }
    await system.settle();
    for (const line of system.callCpu()) options.progress?.(`${policy}: ${line}`);
    const events = Number(await system.built.services.eventStore.headPosition());
    return {
      policy, days: records, episodes, purchaseOrders, transfers, events, seconds: (performance.now() - began) / 1000, cells,
      cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuBefore)),
      ...(conservation && { conservation }), ...(options.keepData && { dataDir: system.dataDir }), ...(demandSeen && { demandSeen }),
    };

    /** Weekly, on the store's review weekday: order up to the level where stock plus open orders is at or below the reorder point. */
    async function baselineReview(day: number): Promise<number> {
      let created = 0;
      for (let s = 0; s < S; s += 1) {
        if (day % 7 !== s % 5) continue;
        const bySupplier = new Map<number, Array<{ k: number; quantity: number }>>();
        for (let k = 0; k < K; k += 1) {
          const i = idx(s, k);
          const position = shelf[i]! + unfound[i]! + onOrder[i]!; // what the books say, plus open orders
          if (position > levels.reorderPoint[i]!) continue;
          const quantity = packsFor(levels.orderUpTo[i]!, position, skus[k]!.packSize);
          if (quantity === 0) continue;
          const supplier = skus[k]!.supplier;
          bySupplier.set(supplier, [...(bySupplier.get(supplier) ?? []), { k, quantity }]);
        }
        for (const [supplier, lines] of bySupplier) {
          const id = `po-${stores[s]}-${day}-${suppliers[supplier]!.id}`;
          await system.call('POST', '/api/purchase-orders', {
            id, supplierId: suppliers[supplier]!.id, locationId: stores[s],
            lines: lines.map((l) => ({ sku: skus[l.k]!.sku, quantity: l.quantity, unitCost: skus[l.k]!.unitCost })),
          });
          await system.call('POST', `/api/purchase-orders/${id}/send`);
          placeOrder(id, s, supplier, lines, day);
          created += 1;
        }
      }
      return created;
    }

    function placeOrder(id: string, location: number, supplier: number, lines: ReadonlyArray<{ k: number; quantity: number }>, day: number) {
      for (const l of lines) bump(onOrder, idx(location, l.k), l.quantity);
      orders.push({ id, location, supplier, lines, arrival: day + chain.actualLeadTime(supplier, locations[location]!, day) });
    }

    /**
     * Daily: accept every suggestion the API returns, send the orders, dispatch the transfers.
     * `apply` takes at most APPLY_LIMIT ids: a longer list is applied in turns, each on a fresh
     * read (what one turn did changes the figures of the rest).
     */
    async function stocktideReview(day: number): Promise<{ purchaseOrders: number; transfers: number }> {
      let purchaseOrders = 0;
      let transfers = 0;
      for (let turn = 0; turn < 100; turn += 1) {
        const done = await applyTurn(day);
        purchaseOrders += done.purchaseOrders;
        transfers += done.transfers;
        if (!done.more) break;
      }
      return { purchaseOrders, transfers };
    }

    async function applyTurn(day: number): Promise<{ purchaseOrders: number; transfers: number; more: boolean }> {
      const head = await system.built.services.eventStore.headPosition();
      const answer = await system.call<{ items: Suggested[] }>('GET', `/api/reorder-suggestions?minPosition=${head}`);
      if (answer.items.length === 0) return { purchaseOrders: 0, transfers: 0, more: false };
      const items = answer.items.slice(0, APPLY_LIMIT);
      for (const item of items) {
        const s = stores.indexOf(item.locationId);
        if (s >= 0 && episodeOpened[idx(s, skuIndex(item.sku))]! < 0) episodeOpened[idx(s, skuIndex(item.sku))] = day;
      }
      type Created = { id: string; suggestionIds: string[] };
      const applied = await system.call<{ transfers: Array<Created & { fromLocationId: string; toLocationId: string }>; purchaseOrders: Array<Created & { supplierId: string; locationId: string }> }>(
        'POST', '/api/reorder-suggestions/apply', { suggestionIds: items.map((i) => i.id) });
      // What each created order or transfer holds: the suggestions it names, in the order given.
      const byId = new Map(items.map((i) => [i.id, i]));
      const partOf = (created: Created) => created.suggestionIds.map((id) => byId.get(id)!);
      await inTurn(applied.purchaseOrders, (po) => system.call('POST', `/api/purchase-orders/${po.id}/send`));
      await inTurn(applied.transfers, (t) => system.call('POST', `/api/transfers/${t.id}/dispatch`));
      for (const po of applied.purchaseOrders) {
        const lines = partOf(po).map((i) => ({ k: skuIndex(i.sku), quantity: i.quantity }));
        placeOrder(po.id, locations.indexOf(po.locationId), suppliers.findIndex((x) => x.id === po.supplierId), lines, day);
      }
      for (const t of applied.transfers) {
        const from = locations.indexOf(t.fromLocationId);
        const lines = partOf(t).map((i) => {
          const k = skuIndex(i.sku);
          // The books may hold units that shrinkage took: the shipper packs what is there, and those are found.
          const shipped = Math.min(i.quantity, shelf[idx(from, k)]!);
          bump(shelf, idx(from, k), -shipped);
          bump(unfound, idx(from, k), -(i.quantity - shipped));
          return { k, quantity: i.quantity, shipped };
        });
        shipments.push({ id: t.id, from, to: locations.indexOf(t.toLocationId), lines, arrival: day + chain.transitDays(t.id, day) });
      }
      return { purchaseOrders: applied.purchaseOrders.length, transfers: applied.transfers.length, more: answer.items.length > items.length };
    }
  } finally {
    await system.close();
  }

  function skuIndex(sku: string): number {
    return Number(sku.slice(4)) - 1;
  }
}

class Stopped extends Error {}

interface Suggested {
  readonly id: string;
  readonly kind: 'transfer' | 'purchase';
  readonly locationId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly fromLocationId?: string;
  readonly supplierId?: string;
}

/**
 * Calls a clerk's screen would make one after another, IN_FLIGHT at a time: independent
 * orders and transfers (each on its own stream or a store's, which the command service
 * serialises), so the commands' appends and their projections' commits can share batches.
 * The world's bookkeeping stays in the callers' order.
 */
async function inTurn<T>(items: readonly T[], call: (item: T) => Promise<unknown>): Promise<void> {
  await lastValueFrom(from(items).pipe(mergeMap((item) => call(item), IN_FLIGHT)), { defaultValue: undefined });
}

/** CPU milliseconds (user + system) this process has used. */
function cpuMsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** `array[i] += by` for a typed array under noUncheckedIndexedAccess. */
function bump(array: Int32Array | Float64Array, i: number, by: number): void {
  array[i] = array[i]! + by;
}

function removeWhere<T>(items: T[], predicate: (t: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i -= 1) if (predicate(items[i]!)) items.splice(i, 1);
}

/** Locations, products, suppliers with their prices and pack sizes, and the tills' POS connection. */
async function setUp(system: SimSystem, chain: Chain): Promise<void> {
  for (const id of chain.stores) await system.call('POST', '/api/locations', { id, name: `Store ${id}`, type: 'store' });
  await system.call('POST', '/api/locations', { id: chain.warehouse, name: 'Central warehouse', type: 'warehouse' });
  for (const p of chain.skus) await system.call('POST', '/api/products', { sku: p.sku, name: p.name, unitCost: p.unitCost });
  for (const s of chain.suppliers) await system.call('POST', '/api/suppliers', { id: s.id, name: s.name, leadTimeDays: s.leadTimeDays });
  for (const p of chain.skus) {
    await system.call('POST', `/api/suppliers/${chain.suppliers[p.supplier]!.id}/prices`, {
      sku: p.sku, unitCost: p.unitCost, minOrderQuantity: p.packSize, packSize: p.packSize, preferred: true,
    });
  }
  await connectTills(system, chain.stores);
}

/**
 * The Stocktide manager's one set-up step after four weeks: reorder rules at each store from
 * those weeks' sales (the same levels the baseline uses). The forecast overrides them wherever
 * it has enough history; they stand where it has not.
 */
async function setRules(system: SimSystem, chain: Chain, levels: { reorderPoint: Int32Array; orderUpTo: Int32Array }): Promise<void> {
  const K = chain.skus.length;
  for (const [s, locationId] of chain.stores.entries()) {
    for (const [k, p] of chain.skus.entries()) {
      await system.call('PUT', '/api/reorder-rules', { locationId, sku: p.sku, min: levels.reorderPoint[s * K + k], max: levels.orderUpTo[s * K + k] });
    }
  }
}
