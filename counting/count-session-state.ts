/**
 * A count session's write model: its definition, the scan ids already applied (a resend adds
 * nothing), and per SKU what has been counted since its last recount request.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type {
  CountRecountRequested, CountScansRecorded, CountSessionCancelled, CountSessionOpened, CountSessionPosted, CountSessionPostingStarted,
} from '../schemas/counting';

export type CountSessionOpenedData = FromSchema<typeof CountSessionOpened>;
export type CountScansRecordedData = FromSchema<typeof CountScansRecorded>;
export type CountRecountRequestedData = FromSchema<typeof CountRecountRequested>;
export type CountSessionPostingStartedData = FromSchema<typeof CountSessionPostingStarted>;
export type CountSessionPostedData = FromSchema<typeof CountSessionPosted>;
export type CountSessionCancelledData = FromSchema<typeof CountSessionCancelled>;

export type CountSessionEvent =
  | { type: 'CountSessionOpened'; data: CountSessionOpenedData }
  | { type: 'CountScansRecorded'; data: CountScansRecordedData }
  | { type: 'CountRecountRequested'; data: CountRecountRequestedData }
  | { type: 'CountSessionPostingStarted'; data: CountSessionPostingStartedData }
  | { type: 'CountSessionPosted'; data: CountSessionPostedData }
  | { type: 'CountSessionCancelled'; data: CountSessionCancelledData };

/** `posting`: frozen, its stock counts fixed, not all of them known to be appended yet. */
export type SessionStatus = 'open' | 'posting' | 'posted' | 'cancelled';

export interface CountedLine {
  readonly counted: number;
  /** Earliest scan since the last recount: the count of this SKU is dated here (see posting.ts). */
  readonly firstCountedAt: string;
}

export type CountSessionState =
  | { readonly opened: false }
  | {
      readonly opened: true;
      readonly session: CountSessionOpenedData;
      readonly status: SessionStatus;
      /** Scan id -> what it said (scanKey): a resend adds nothing, a changed resend is refused. */
      readonly scanIds: ReadonlyMap<string, string>;
      readonly lines: ReadonlyMap<string, CountedLine>;
      readonly posting?: CountSessionPostingStartedData;
    };

export const initialCountSessionState = (): CountSessionState => ({ opened: false });
export const countSessionStream = (sessionId: string) => `count-session-${sessionId}`;

/** What a scan said, comparable: the same scan id must always say the same. */
export const scanKey = (line: { sku: string; quantity: number; countedAt: string }): string =>
  `${line.sku}|${line.quantity}|${Date.parse(line.countedAt)}`;

const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

export function evolveCountSession(state: CountSessionState, event: CountSessionEvent): CountSessionState {
  if (event.type === 'CountSessionOpened') {
    return { opened: true, session: event.data, status: 'open', scanIds: new Map(), lines: new Map() };
  }
  if (!state.opened) return state;
  switch (event.type) {
    case 'CountScansRecorded': {
      const scanIds = new Map(state.scanIds);
      const lines = new Map(state.lines);
      for (const line of event.data.lines) {
        scanIds.set(line.scanId, scanKey(line));
        const before = lines.get(line.sku);
        lines.set(line.sku, {
          counted: (before?.counted ?? 0) + line.quantity,
          firstCountedAt: before ? earlier(before.firstCountedAt, line.countedAt) : line.countedAt,
        });
      }
      return { ...state, scanIds, lines };
    }
    case 'CountRecountRequested': {
      const lines = new Map(state.lines);
      for (const sku of event.data.skus) lines.delete(sku);
      return { ...state, lines };
    }
    case 'CountSessionPostingStarted': return { ...state, status: 'posting', posting: event.data };
    case 'CountSessionPosted': return { ...state, status: 'posted' };
    case 'CountSessionCancelled': return { ...state, status: 'cancelled' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
