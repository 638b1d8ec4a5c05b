/**
 * The `count_sessions` read model: one document per session with what every phone counted per
 * SKU (summed), who counted, and the posting. Expected quantities are not stored here: they are
 * the ledger's balance as of the session's start, read when the session is shown (count-session-view.ts).
 * An event at or before the document's position is skipped, so a replayed batch changes nothing.
 */
import { padPosition } from '../projections/models/keys';
import type { Doc } from '../projections/readstore/port';
import type { Projection } from '../projections/runner/projection';
import type {
  CountRecountRequestedData, CountScansRecordedData, CountSessionCancelledData, CountSessionEvent, CountSessionOpenedData, CountSessionPostedData,
  CountSessionPostingStartedData, SessionStatus,
} from './count-session-state';

export const COUNTING = { sessions: 'count_sessions' } as const;

export interface SessionLineDoc {
  sku: string;
  counted: number;
  scans: number;
  firstCountedAt: string;
  lastCountedAt: string;
  /** Who counted this SKU (usernames): a recount can go to someone else. */
  countedBy: string[];
}

export type CountSessionDoc = Doc & {
  sessionId: string;
  locationId: string;
  status: SessionStatus;
  blind: boolean;
  scope: CountSessionOpenedData['scope'];
  openedBy: string;
  openedAt: string;
  lines: SessionLineDoc[];
  /** SKUs a manager asked to count again and nobody has yet. */
  recount: string[];
  devices: string[];
  postedBy?: string;
  postedAt?: string;
  /** SKUs a manager left out of the post because the stock refused their count. */
  dropped?: string[];
  cancelledAt?: string;
  position: string;
  positionKey: string;
};

const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);

function addScans(doc: CountSessionDoc, data: CountScansRecordedData): CountSessionDoc {
  const lines = new Map(doc.lines.map((l) => [l.sku, { ...l, countedBy: [...l.countedBy] }]));
  for (const scan of data.lines) {
    const line = lines.get(scan.sku) ?? { sku: scan.sku, counted: 0, scans: 0, firstCountedAt: scan.countedAt, lastCountedAt: scan.countedAt, countedBy: [] };
    line.counted += scan.quantity;
    line.scans += 1;
    if (byTime(scan.countedAt, line.firstCountedAt) < 0) line.firstCountedAt = scan.countedAt;
    if (byTime(scan.countedAt, line.lastCountedAt) > 0) line.lastCountedAt = scan.countedAt;
    if (!line.countedBy.includes(data.countedBy)) line.countedBy.push(data.countedBy);
    lines.set(scan.sku, line);
  }
  const scanned = new Set(data.lines.map((l) => l.sku));
  return {
    ...doc,
    lines: [...lines.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
    recount: doc.recount.filter((sku) => !scanned.has(sku)),
    devices: doc.devices.includes(data.deviceId) ? doc.devices : [...doc.devices, data.deviceId],
  };
}

function next(doc: CountSessionDoc, event: CountSessionEvent): CountSessionDoc {
  switch (event.type) {
    case 'CountSessionOpened': return doc;
    case 'CountScansRecorded': return addScans(doc, event.data);
    case 'CountRecountRequested': {
      const skus = new Set((event.data as CountRecountRequestedData).skus);
      return { ...doc, lines: doc.lines.filter((l) => !skus.has(l.sku)), recount: [...new Set([...doc.recount, ...skus])].sort() };
    }
    case 'CountSessionPostingStarted': {
      const d = event.data as CountSessionPostingStartedData;
      // Appended again when lines are left out: the post began at the first one.
      return { ...doc, status: 'posting', postedBy: d.postedBy, postedAt: doc.postedAt ?? d.occurredAt, ...(d.dropped && { dropped: d.dropped }) };
    }
    case 'CountSessionPosted': return { ...doc, status: 'posted', postedBy: (event.data as CountSessionPostedData).postedBy };
    case 'CountSessionCancelled': return { ...doc, status: 'cancelled', cancelledAt: (event.data as CountSessionCancelledData).occurredAt };
    default: {
      const _exhaustive: never = event;
      return doc;
    }
  }
}

const SESSION_EVENTS = new Set<string>([
  'CountSessionOpened', 'CountScansRecorded', 'CountRecountRequested', 'CountSessionPostingStarted', 'CountSessionPosted', 'CountSessionCancelled',
]);

export const countSessionProjection: Projection = {
  name: 'count-sessions',
  collections: [COUNTING.sessions],
  indexes: [{ collection: COUNTING.sessions, fields: ['locationId'] }, { collection: COUNTING.sessions, fields: ['positionKey'] }],
  async apply(recorded, uow) {
    if (!SESSION_EVENTS.has(recorded.type)) return;
    const event = { type: recorded.type, data: recorded.data } as CountSessionEvent;
    const position = recorded.position.toString();
    const positionKey = padPosition(recorded.position);
    const sessionId = event.data.sessionId;
    const before = await uow.get<CountSessionDoc>(COUNTING.sessions, sessionId);
    if (before && before.positionKey >= positionKey) return;
    if (event.type === 'CountSessionOpened') {
      const d = event.data;
      uow.put(COUNTING.sessions, {
        _id: d.sessionId, sessionId: d.sessionId, locationId: d.locationId, status: 'open', blind: d.blind, scope: d.scope,
        openedBy: d.openedBy, openedAt: d.occurredAt, lines: [], recount: [], devices: [], position, positionKey,
      } satisfies CountSessionDoc);
      return;
    }
    if (!before) return; // the decider never records into an unopened session
    uow.put(COUNTING.sessions, { ...next(before, event), position, positionKey });
  },
};
