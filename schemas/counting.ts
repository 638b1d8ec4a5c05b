/**
 * Count sessions (CONTRACT.md, "Count sessions"): request bodies, answers and the events of the
 * `count-session-{id}` streams. A session counts one location; several phones add scans to it;
 * a manager reviews counted against expected and posts it, which appends ordinary stock counts.
 */
import { id, MAX_QUANTITY, sku, timestamp } from './common';
import { category } from './catalog';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
const times = { occurredAt: timestamp, recordedAt: timestamp } as const;
const event = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required: [...required, 'occurredAt', 'recordedAt'], properties: { ...properties, ...times } }) as const;

const username = { type: 'string', minLength: 1, maxLength: 200 } as const;
const skus = { type: 'array', minItems: 1, maxItems: 5000, uniqueItems: true, items: sku } as const;
/** A shelf, aisle or bin label: shown to counters, it does not restrict what may be scanned. */
const zone = { type: 'string', minLength: 1, maxLength: 100 } as const;
/** Units read by one scan: 1 for a beep, more when typed (a case of 12). */
const scanQuantity = { type: 'integer', minimum: 1, maximum: 100_000 } as const;
/** Scan and device ids come from the phone (a uuid in practice); they make a resend harmless. */
const clientId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } as const;
const barcodeText = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** `category`: the SKUs of that product category at opening time (as `supplierId` resolves to a price list). */
export const countScope = object({ skus, supplierId: id, zone, category }, [] as const);
export const countStatus = { type: 'string', enum: ['open', 'posted', 'cancelled'] } as const;

export const OpenCountSession = object(
  { locationId: id, scope: countScope, blind: { type: 'boolean' }, id },
  ['locationId'] as const,
);

/** One scan as the phone saw it: a SKU (typed or chosen) or a barcode (read), never both. */
export const scanLine = object(
  { scanId: clientId, sku, barcode: barcodeText, quantity: scanQuantity, countedAt: timestamp },
  ['scanId', 'quantity', 'countedAt'] as const,
);
export const RecordCountScans = object(
  { deviceId: clientId, lines: { type: 'array', minItems: 1, maxItems: 500, items: scanLine } },
  ['deviceId', 'lines'] as const,
);
export const RequestRecount = object({ skus }, ['skus'] as const);
export const CancelCountSession = object({ reason: { type: 'string', maxLength: 500 } }, [] as const);
export const CountSessionParams = object({ id }, ['id'] as const);
/** `drop`: SKUs to leave out where the stock refuses their count (counted again later, older than 7 days). */
export const PostCountSession = object({ drop: skus }, [] as const);
export const CountSessionQuery = object({ minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } }, [] as const);
export const CountSessionsQuery = object(
  { locationId: id, status: countStatus, minPosition: { type: 'string', pattern: '^(0|[1-9][0-9]{0,39})$' } },
  [] as const,
);

export const CountSessionOpened = event(
  {
    sessionId: id, locationId: id, blind: { type: 'boolean' }, openedBy: username,
    /** The scope as asked; `skus` is resolved (a supplier's price list at opening time) so the rule never changes under the counters. */
    scope: countScope,
  },
  ['sessionId', 'locationId', 'blind', 'openedBy', 'scope'] as const,
);

export const CountScansRecorded = event(
  {
    sessionId: id, deviceId: clientId, countedBy: username,
    lines: {
      type: 'array', minItems: 1, maxItems: 500,
      items: object({ scanId: clientId, sku, quantity: scanQuantity, countedAt: timestamp }, ['scanId', 'sku', 'quantity', 'countedAt'] as const),
    },
  },
  ['sessionId', 'deviceId', 'countedBy', 'lines'] as const,
);

/** The manager wants these SKUs counted again: what was counted for them so far no longer counts. */
export const CountRecountRequested = event({ sessionId: id, skus, requestedBy: username }, ['sessionId', 'skus', 'requestedBy'] as const);

/**
 * Posting begins: the session is frozen (later scans are refused) and the stock counts it will
 * append are fixed here, ids included, so a post interrupted half-way resumes with the same counts.
 * Appended again when a manager leaves out lines the stock refused: `counts` are then what is
 * left to append and `dropped` names every SKU left out so far.
 */
export const CountSessionPostingStarted = event(
  {
    sessionId: id, postedBy: username, dropped: { ...skus, minItems: 0 },
    counts: {
      type: 'array', maxItems: 5000,
      items: object(
        {
          countId: id, countedAt: timestamp,
          lines: {
            type: 'array', minItems: 1, maxItems: 5000,
            items: object({ sku, countedQuantity: { type: 'integer', minimum: 0, maximum: MAX_QUANTITY } }, ['sku', 'countedQuantity'] as const),
          },
        },
        ['countId', 'countedAt', 'lines'] as const,
      ),
    },
  },
  ['sessionId', 'postedBy', 'counts'] as const,
);
/** Every stock count of the posting is in the log. */
export const CountSessionPosted = event({ sessionId: id, postedBy: username }, ['sessionId', 'postedBy'] as const);
export const CountSessionCancelled = event(
  { sessionId: id, cancelledBy: username, reason: { type: 'string', maxLength: 500 } },
  ['sessionId', 'cancelledBy'] as const,
);

export const countingEventSchemas = {
  CountSessionOpened, CountScansRecorded, CountRecountRequested, CountSessionPostingStarted, CountSessionPosted, CountSessionCancelled,
} as const;
export const countingCommandSchemas = { OpenCountSession, RecordCountScans, RequestRecount, CancelCountSession, PostCountSession } as const;
