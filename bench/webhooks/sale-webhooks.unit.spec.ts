import { describe, expect, it } from 'vitest';
import { verifyGeneric } from '../../pos/signatures';
import { checkAnswers, checkStored, saleWebhooks, type LoggedEvent } from './sale-webhooks';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const make = (count: number, duplicateEvery = 0) =>
  saleWebhooks({ connectionId: 'c1', secret: 's3cret', count, prefix: 'p', duplicateEvery, duplicateLag: 2, occurredAt: NOW });
const sold = (eventId: string, quantities: number[], connectionId = 'c1'): LoggedEvent => ({
  type: 'StockSold', data: { pos: { connectionId, eventId }, lines: quantities.map((quantity) => ({ sku: 'X', quantity })) },
});
const ok = (position: string, duplicate = false) => JSON.stringify({ position, ...(duplicate && { duplicate: true }) });

describe('saleWebhooks', () => {
  it('given a count and a duplicate rate, then requests are signed, and every n-th resends an earlier one byte for byte', () => {
    const { requests, eventIds, units } = make(10, 3);
    expect(requests).toHaveLength(10);
    for (const r of requests) {
      expect(r.path).toBe('/pos/c1/webhook');
      expect(verifyGeneric('s3cret', Buffer.from(r.body!), r.headers['x-ims-signature'])).toBe(true);
    }
    expect([requests[2], requests[5], requests[8]]).toEqual([requests[0], requests[3], requests[6]]);
    expect(eventIds[5]).toBe(eventIds[3]);
    expect(units.size).toBe(7);
    expect(JSON.parse(requests[0]!.body!)).toMatchObject({ eventId: 'p-0', type: 'sale', occurredAt: NOW.toISOString() });
    expect(units.get('p-0')).toBe(JSON.parse(requests[0]!.body!).lines.reduce((s: number, l: { quantity: number }) => s + l.quantity, 0));
  });
});

describe('checkAnswers', () => {
  it('given one application and repeats answered duplicate with its position, then the event counts as applied once', () => {
    const { applied, unanswered } = checkAnswers(['a', 'a', 'b', 'c'], [200, 200, 200, -1], [ok('5'), ok('5', true), ok('6'), '']);
    expect([...applied]).toEqual([['a', '5'], ['b', '6']]);
    expect(unanswered.size).toBe(0);
  });

  it('given an event applied twice, a repeat with another position, or a 4xx/5xx, then it throws', () => {
    expect(() => checkAnswers(['a', 'a'], [200, 200], [ok('5'), ok('7')])).toThrow(/applied twice/);
    expect(() => checkAnswers(['a', 'a'], [200, 200], [ok('5'), ok('7', true)])).toThrow(/original 5/);
    expect(() => checkAnswers(['a'], [500], ['{}'])).toThrow(/answered 500/);
  });

  it('given a lost answer, then its event is unanswered, unless a repeat proves it stored', () => {
    expect([...checkAnswers(['a'], [0], ['']).unanswered]).toEqual(['a']);
    const proven = checkAnswers(['a', 'a'], [0, 200], ['', ok('9', true)]);
    expect([...proven.applied]).toEqual([['a', '9']]);
    expect(proven.unanswered.size).toBe(0);
  });
});

describe('checkStored', () => {
  const exactlyOnce = new Map([['a', 2], ['b', 1]]);

  it('given each answered sale once with its units, then it returns the sales and units; other connections are ignored', () => {
    expect(checkStored([sold('a', [1, 1]), sold('b', [1]), sold('a', [9], 'other')], 'c1', { exactlyOnce })).toEqual({ sales: 2, units: 3 });
  });

  it('given a sale lost, doubled, with other units, or never sent, then it throws', () => {
    expect(() => checkStored([sold('a', [2])], 'c1', { exactlyOnce })).toThrow(/b was answered but is not stored/);
    expect(() => checkStored([sold('a', [2]), sold('a', [2]), sold('b', [1])], 'c1', { exactlyOnce })).toThrow(/stored 2 times/);
    expect(() => checkStored([sold('a', [3]), sold('b', [1])], 'c1', { exactlyOnce })).toThrow(/3 units, sent 2/);
    expect(() => checkStored([sold('a', [2]), sold('b', [1]), sold('z', [1])], 'c1', { exactlyOnce })).toThrow(/z is stored but was never/);
  });

  it('given unanswered sales, then each may be stored once or not at all, never twice', () => {
    const atMostOnce = new Map([['u', 1], ['v', 1]]);
    expect(checkStored([sold('a', [2]), sold('b', [1]), sold('u', [1])], 'c1', { exactlyOnce, atMostOnce })).toEqual({ sales: 3, units: 4 });
    expect(() => checkStored([sold('a', [2]), sold('b', [1]), sold('u', [1]), sold('u', [1])], 'c1', { exactlyOnce, atMostOnce })).toThrow(/u is stored 2 times/);
  });
});
