import { describe, expect, it } from 'vitest';
import { BusinessRuleViolation, InvalidCommand, NotFound } from '../errors';
import { onHandOf } from '../locations/location-state';
import { foldWorld, given } from '../testing/spec';
import {
  T0, chain, stockReceived, transferCancelled, transferCreated, transferDispatched, transferReceived, withReceiptId,
} from '../testing/fixtures';
import type { ReceiveTransferCommand } from '../commands';
import { streams } from '../decide';
import { transferReceiptKey } from '../idempotency';

const lines = [{ sku: 'X', quantity: 4 }, { sku: 'Y', quantity: 2 }];
const created = transferCreated('t1', 'A', 'B', lines);
const dispatched = transferDispatched('t1', 'A', 'B', lines);
const stocked = [stockReceived('A', 'X', 10), stockReceived('A', 'Y', 2)];
const receive = (over: Partial<ReceiveTransferCommand> = {}): ReceiveTransferCommand => ({
  type: 'ReceiveTransfer', transferId: 't1', final: true, now: T0, ...over,
});

describe('creating a transfer', () => {
  it('records the plan, one line per sku', () => {
    given(chain).when({
      type: 'CreateTransfer', transferId: 't1', fromLocationId: 'A', toLocationId: 'B', now: T0,
      lines: [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 2 }, { sku: 'X', quantity: 3 }],
    }).then([transferCreated('t1', 'A', 'B', [{ sku: 'X', quantity: 4 }, { sku: 'Y', quantity: 2 }])]);
  });

  it('refuses a transfer to the same location', () => {
    given(chain).when({ type: 'CreateTransfer', transferId: 't1', fromLocationId: 'A', toLocationId: 'A', lines, now: T0 })
      .thenThrows(InvalidCommand, 'same-location');
  });

  it('refuses unknown locations and skus', () => {
    given(chain).when({ type: 'CreateTransfer', transferId: 't1', fromLocationId: 'A', toLocationId: 'Z', lines, now: T0 })
      .thenThrows(NotFound, 'unknown-location');
    given(chain).when({ type: 'CreateTransfer', transferId: 't1', fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'Q', quantity: 1 }], now: T0 })
      .thenThrows(NotFound, 'unknown-sku');
  });

  it('is idempotent for the same id and content, and refuses the same id with other content', () => {
    given(chain, created).when({ type: 'CreateTransfer', transferId: 't1', fromLocationId: 'A', toLocationId: 'B', lines, now: T0 }).then([]);
    given(chain, created).when({ type: 'CreateTransfer', transferId: 't1', fromLocationId: 'B', toLocationId: 'A', lines, now: T0 })
      .thenThrows(BusinessRuleViolation, 'transfer-exists');
  });
});

describe('dispatching a transfer', () => {
  it('takes the stock out of the origin', () => {
    given(chain, stocked, created).when({ type: 'DispatchTransfer', transferId: 't1', now: T0 }).then([dispatched]);
    expect(onHandOf(foldWorld([...chain, ...stocked, created, dispatched]).location('A'), 'X')).toBe(6);
  });

  it('refuses when any line exceeds what the origin has', () => {
    given(chain, stockReceived('A', 'X', 10), stockReceived('A', 'Y', 1), created)
      .when({ type: 'DispatchTransfer', transferId: 't1', now: T0 }).thenThrows(BusinessRuleViolation, 'insufficient-stock');
  });

  it('never dispatches twice', () => {
    given(chain, stocked, created, dispatched).when({ type: 'DispatchTransfer', transferId: 't1', now: T0 }).then([]);
    const twice = foldWorld([...chain, ...stocked, created, dispatched, dispatched]).location('A');
    expect(onHandOf(twice, 'X')).toBe(6);
  });

  it('refuses an unknown or cancelled transfer', () => {
    given(chain).when({ type: 'DispatchTransfer', transferId: 'nope', now: T0 }).thenThrows(NotFound, 'unknown-transfer');
    given(chain, stocked, created, transferCancelled('t1', 'A', 'B'))
      .when({ type: 'DispatchTransfer', transferId: 't1', now: T0 }).thenThrows(BusinessRuleViolation, 'transfer-cancelled');
  });
});

describe('cancelling a transfer', () => {
  it('cancels a transfer that has not left, once', () => {
    given(chain, created).when({ type: 'CancelTransfer', transferId: 't1', now: T0 }).then([transferCancelled('t1', 'A', 'B')]);
    given(chain, created, transferCancelled('t1', 'A', 'B')).when({ type: 'CancelTransfer', transferId: 't1', now: T0 }).then([]);
  });

  it('refuses to cancel a dispatched transfer', () => {
    given(chain, stocked, created, dispatched).when({ type: 'CancelTransfer', transferId: 't1', now: T0 })
      .thenThrows(BusinessRuleViolation, 'transfer-dispatched');
  });
});

describe('receiving a transfer', () => {
  const history = [...chain, ...stocked, created, dispatched];

  it('receives everything outstanding when no lines are given', () => {
    given(history).when(receive()).then([transferReceived('t1', 'A', 'B', lines)]);
    expect(onHandOf(foldWorld([...history, transferReceived('t1', 'A', 'B', lines)]).location('B'), 'X')).toBe(4);
  });

  it('records what did not arrive as shortfall on a final partial receipt', () => {
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 3 }] }))
      .then([transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 3 }], [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 2 }])]);
  });

  it('leaves the rest in transit on a non-final receipt, and receives it later', () => {
    const first = transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 3 }], [], false);
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 3 }], final: false })).then([first]);
    given(history, first).when(receive()).then([transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 2 }])]);
    given(history, first).when(receive({ lines: [{ sku: 'Y', quantity: 1 }] }))
      .then([transferReceived('t1', 'A', 'B', [{ sku: 'Y', quantity: 1 }], [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 1 }])]);
  });

  it('completes a non-final receipt that takes the last outstanding unit', () => {
    given(history).when(receive({ lines, final: false })).then([transferReceived('t1', 'A', 'B', lines)]);
  });

  it('refuses more than is outstanding, or a sku not on the transfer', () => {
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 5 }] })).thenThrows(BusinessRuleViolation, 'exceeds-outstanding');
    const first = transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 3 }], [], false);
    given(history, first).when(receive({ lines: [{ sku: 'X', quantity: 2 }] })).thenThrows(BusinessRuleViolation, 'exceeds-outstanding');
    given(history).when(receive({ lines: [{ sku: 'Q', quantity: 1 }] })).thenThrows(BusinessRuleViolation, 'exceeds-outstanding');
  });

  it('refuses a receipt before dispatch, after completion, or of a cancelled transfer', () => {
    given(chain, created).when(receive()).thenThrows(BusinessRuleViolation, 'transfer-not-dispatched');
    given(history, transferReceived('t1', 'A', 'B', lines)).when(receive()).thenThrows(BusinessRuleViolation, 'transfer-completed');
    given(chain, created, transferCancelled('t1', 'A', 'B')).when(receive()).thenThrows(BusinessRuleViolation, 'transfer-cancelled');
  });

  it('refuses a non-final receipt of nothing', () => {
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 0 }], final: false })).thenThrows(InvalidCommand, 'nothing-to-receive');
  });

  it('a final receipt of zero units records everything as shortfall', () => {
    given(history).when(receive({ lines: [{ sku: 'X', quantity: 0 }] })).then([transferReceived('t1', 'A', 'B', [], lines)]);
  });

  it('applies a completing receipt stored twice only once', () => {
    const done = transferReceived('t1', 'A', 'B', lines);
    expect(onHandOf(foldWorld([...history, done, done]).location('B'), 'X')).toBe(4);
  });
});

describe('receiving a transfer with a client receiptId (the staff app resends after a lost answer)', () => {
  const history = [...chain, ...stocked, created, dispatched];
  const threeX = [{ sku: 'X', quantity: 3 }];
  const partial = withReceiptId(transferReceived('t1', 'A', 'B', threeX, [], false), 'r1');

  it('records the receiptId on the event', () => {
    given(history).when(receive({ lines: threeX, final: false, receiptId: 'r1' })).then([partial]);
  });

  it('a partial receipt repeated with the same receiptId and lines decides nothing and counts once', () => {
    given(history, partial).when(receive({ lines: threeX, final: false, receiptId: 'r1' })).then([]);
    // the same lines written another way (split, with a zero line) are the same delivery
    given(history, partial).when(receive({ lines: [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 0 }, { sku: 'X', quantity: 2 }], final: false, receiptId: 'r1' }))
      .then([]);
    expect(foldWorld([...history, partial, partial]).location('B').arrivals.get('t1')?.received.get('X')).toBe(3);
  });

  it('a repeat of a keyed final receipt after the transfer completed is a repeat, not "already received"', () => {
    const done = withReceiptId(transferReceived('t1', 'A', 'B', threeX, [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 2 }]), 'r1');
    given(history).when(receive({ lines: threeX, receiptId: 'r1' })).then([done]);
    given(history, done).when(receive({ lines: threeX, receiptId: 'r1' })).then([]);
    given(history, done).when(receive({ lines: threeX, receiptId: 'r2' })).thenThrows(BusinessRuleViolation, 'transfer-completed');
  });

  it('refuses the same receiptId with different lines, or made final when it was not', () => {
    given(history, partial).when(receive({ lines: [{ sku: 'X', quantity: 1 }], final: false, receiptId: 'r1' }))
      .thenThrows(BusinessRuleViolation, 'receipt-id-reused');
    given(history, partial).when(receive({ lines: [...threeX, { sku: 'Y', quantity: 1 }], final: false, receiptId: 'r1' }))
      .thenThrows(BusinessRuleViolation, 'receipt-id-reused');
    given(history, partial).when(receive({ lines: threeX, final: true, receiptId: 'r1' }))
      .thenThrows(BusinessRuleViolation, 'receipt-id-reused');
    given(history, partial).when(receive({ final: false, receiptId: 'r1' })).thenThrows(BusinessRuleViolation, 'receipt-id-reused');
  });

  it('two partial receipts with different receiptIds both apply', () => {
    const second = withReceiptId(transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 1 }], [], false), 'r2');
    given(history, partial).when(receive({ lines: [{ sku: 'X', quantity: 1 }, { sku: 'Y', quantity: 1 }], final: false, receiptId: 'r2' }))
      .then([second]);
    const world = foldWorld([...history, partial, second]);
    expect(onHandOf(world.location('B'), 'X')).toBe(4);
    expect(onHandOf(world.location('B'), 'Y')).toBe(1);
    // and the same two lines again under a third id exceed what is outstanding for X
    given(history, partial, second).when(receive({ lines: [{ sku: 'X', quantity: 1 }], final: false, receiptId: 'r3' }))
      .thenThrows(BusinessRuleViolation, 'exceeds-outstanding');
  });

  it('a keyed receipt stored twice (best-effort id dedupe) applies once', () => {
    expect(onHandOf(foldWorld([...history, partial, partial]).location('B'), 'X')).toBe(3);
  });

  it('without a receiptId a repeated partial receipt still counts again (unchanged contract)', () => {
    const unkeyed = transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 1 }], [], false);
    given(history, unkeyed).when(receive({ lines: [{ sku: 'X', quantity: 1 }], final: false })).then([unkeyed]);
  });
});

describe('a keyed transfer receipt is remembered as long as its arrival', () => {
  it('the stream kind recognises its key (a repeat answered from a snapshot past the seen window)', () => {
    const partial = withReceiptId(transferReceived('t1', 'A', 'B', [{ sku: 'X', quantity: 1 }], [], false), 'r-1');
    const state = foldWorld([...chain, ...stocked, created, dispatched, partial]).location('B');
    state.seen.clear(); // as if the 30-day window had pruned it
    expect(streams.location.remembers(state, transferReceiptKey('t1', 'r-1'))).toBe(true);
    expect(streams.location.remembers(state, transferReceiptKey('t1', 'r-2'))).toBe(false);
    expect(streams.location.remembers(state, transferReceiptKey('t2', 'r-1'))).toBe(false);
  });
});
