/**
 * The rules of count sessions, pure: time (`now`) and the people arrive in the command, SKUs
 * are resolved (barcode -> SKU, supplier -> its SKUs) at the edge before deciding.
 *
 * - Scans are added while the session is open; quantities of every phone add up, never
 *   overwrite. A scan id already applied adds nothing; the same id with other content is refused.
 * - A scan outside the session's SKU scope, dated in the future or before the session opened is refused.
 * - A recount request forgets what was counted for those SKUs: counters count them again.
 * - Posting freezes the session and fixes the stock counts it appends (posting.ts); a post that
 *   stopped half-way resumes; a post of a posted or cancelled session is a conflict.
 * - A post that stopped may leave SKUs out (the stock refused their count): the counts still to
 *   append are fixed again without them, before anything else is appended.
 */
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';
import { CLOCK_SKEW_MS, toMillis } from '../write-side/domain/time';
import type { StreamDecider } from '../write-side/commands/decide-on-stream';
import {
  evolveCountSession, initialCountSessionState, scanKey, type CountSessionEvent, type CountSessionOpenedData, type CountSessionState,
} from './count-session-state';
import { postingCounts } from './posting';

type Stamp = { readonly now: string };
export type OpenCountSessionCommand = { type: 'OpenCountSession' } & Omit<CountSessionOpenedData, 'occurredAt' | 'recordedAt'> & Stamp;
export interface ScanLine { readonly scanId: string; readonly sku: string; readonly quantity: number; readonly countedAt: string }
export type RecordCountScansCommand = {
  type: 'RecordCountScans'; sessionId: string; deviceId: string; countedBy: string; lines: readonly ScanLine[];
} & Stamp;
export type RequestRecountCommand = { type: 'RequestRecount'; sessionId: string; skus: readonly string[]; requestedBy: string } & Stamp;
export type StartPostingCommand = { type: 'StartPosting'; sessionId: string; postedBy: string } & Stamp;
export type CompletePostingCommand = { type: 'CompletePosting'; sessionId: string; postedBy: string } & Stamp;
/** Leaves SKUs out of a post that stopped because the stock refused their count. */
export type DropPostingLinesCommand = { type: 'DropPostingLines'; sessionId: string; skus: readonly string[]; postedBy: string } & Stamp;
export type CancelCountSessionCommand = { type: 'CancelCountSession'; sessionId: string; cancelledBy: string; reason?: string } & Stamp;

export type CountSessionCommand =
  | OpenCountSessionCommand | RecordCountScansCommand | RequestRecountCommand | StartPostingCommand | CompletePostingCommand
  | CancelCountSessionCommand | DropPostingLinesCommand;

type Opened = Extract<CountSessionState, { opened: true }>;
const stamped = (now: string) => ({ occurredAt: now, recordedAt: now });

function requireSession(state: CountSessionState, sessionId: string): Opened {
  if (!state.opened) throw new NotFound(`unknown count session ${sessionId}`, 'unknown-count-session');
  return state;
}

function requireOpen(state: CountSessionState, sessionId: string): Opened {
  const s = requireSession(state, sessionId);
  if (s.status !== 'open') throw new BusinessRuleViolation(`count session ${sessionId} is ${s.status === 'posting' ? 'posted' : s.status}`, `count-session-${s.status === 'posting' ? 'posted' : s.status}`);
  return s;
}

function decideOpen(cmd: OpenCountSessionCommand, state: CountSessionState): CountSessionEvent[] {
  const { type: _t, now, ...data } = cmd;
  if (state.opened) {
    // The same request again (a manager's retry) is already done; another session under that id is not.
    if (state.session.locationId === cmd.locationId && state.session.openedBy === cmd.openedBy) return [];
    throw new BusinessRuleViolation(`count session ${cmd.sessionId} exists`, 'count-session-exists');
  }
  return [{ type: 'CountSessionOpened', data: { ...data, ...stamped(now) } }];
}

function decideScans(cmd: RecordCountScansCommand, state: CountSessionState): CountSessionEvent[] {
  const s = requireSession(state, cmd.sessionId);
  const fresh: ScanLine[] = [];
  const inBatch = new Map<string, string>();
  for (const line of cmd.lines) {
    const key = scanKey(line);
    const seen = s.scanIds.get(line.scanId) ?? inBatch.get(line.scanId);
    if (seen !== undefined) {
      if (seen !== key) throw new BusinessRuleViolation(`scan ${line.scanId} was sent before with other content`, 'scan-id-reused');
      continue;
    }
    inBatch.set(line.scanId, key);
    fresh.push(line);
  }
  if (fresh.length === 0) return [];
  requireOpen(state, cmd.sessionId);
  const scope = s.session.scope.skus;
  const now = toMillis(cmd.now);
  const opened = toMillis(s.session.occurredAt);
  for (const line of fresh) {
    if (scope && !scope.includes(line.sku)) {
      throw new BusinessRuleViolation(`${line.sku} is not in the scope of count session ${cmd.sessionId}`, 'sku-out-of-scope');
    }
    const at = toMillis(line.countedAt);
    if (at > now + CLOCK_SKEW_MS) throw new BusinessRuleViolation(`countedAt ${line.countedAt} is in the future`, 'count-in-future');
    if (at < opened - CLOCK_SKEW_MS) throw new BusinessRuleViolation(`countedAt ${line.countedAt} is before the session opened`, 'scan-before-session');
  }
  return [{
    type: 'CountScansRecorded',
    data: { sessionId: cmd.sessionId, deviceId: cmd.deviceId, countedBy: cmd.countedBy, lines: fresh.map((l) => ({ ...l })), ...stamped(cmd.now) },
  }];
}

function decideRecount(cmd: RequestRecountCommand, state: CountSessionState): CountSessionEvent[] {
  requireOpen(state, cmd.sessionId);
  return [{ type: 'CountRecountRequested', data: { sessionId: cmd.sessionId, skus: [...cmd.skus], requestedBy: cmd.requestedBy, ...stamped(cmd.now) } }];
}

function decideStartPosting(cmd: StartPostingCommand, state: CountSessionState): CountSessionEvent[] {
  const s = requireSession(state, cmd.sessionId);
  if (s.status === 'posting') return []; // resumes: the counts were fixed by the first post
  requireOpen(state, cmd.sessionId);
  if (s.lines.size === 0) throw new BusinessRuleViolation(`count session ${cmd.sessionId} has nothing counted`, 'nothing-counted');
  return [{
    type: 'CountSessionPostingStarted',
    data: { sessionId: cmd.sessionId, postedBy: cmd.postedBy, counts: postingCounts(cmd.sessionId, s.lines), ...stamped(cmd.now) },
  }];
}

function decideCompletePosting(cmd: CompletePostingCommand, state: CountSessionState): CountSessionEvent[] {
  const s = requireSession(state, cmd.sessionId);
  if (s.status === 'posted') return [];
  if (s.status !== 'posting') throw new BusinessRuleViolation(`count session ${cmd.sessionId} is ${s.status}`, `count-session-${s.status}`);
  return [{ type: 'CountSessionPosted', data: { sessionId: cmd.sessionId, postedBy: cmd.postedBy, ...stamped(cmd.now) } }];
}

function decideDropLines(cmd: DropPostingLinesCommand, state: CountSessionState): CountSessionEvent[] {
  const s = requireSession(state, cmd.sessionId);
  if (s.status !== 'posting') {
    const status = s.status === 'open' ? 'open' : s.status;
    throw new BusinessRuleViolation(`count session ${cmd.sessionId} is ${status}: only a post that stopped leaves lines out`, `count-session-${status}`);
  }
  const posting = s.posting!;
  const drop = new Set(cmd.skus);
  const dropping = posting.counts.flatMap((c) => c.lines.filter((l) => drop.has(l.sku)).map((l) => l.sku));
  if (dropping.length === 0) return []; // already left out (or never in the post)
  const counts = posting.counts
    .map((c) => ({ ...c, lines: c.lines.filter((l) => !drop.has(l.sku)) }))
    .filter((c) => c.lines.length > 0);
  return [{
    type: 'CountSessionPostingStarted',
    data: { sessionId: cmd.sessionId, postedBy: cmd.postedBy, counts, dropped: [...(posting.dropped ?? []), ...dropping], ...stamped(cmd.now) },
  }];
}

function decideCancel(cmd: CancelCountSessionCommand, state: CountSessionState): CountSessionEvent[] {
  const s = requireSession(state, cmd.sessionId);
  if (s.status === 'cancelled') return [];
  requireOpen(state, cmd.sessionId);
  return [{
    type: 'CountSessionCancelled',
    data: { sessionId: cmd.sessionId, cancelledBy: cmd.cancelledBy, ...(cmd.reason !== undefined && { reason: cmd.reason }), ...stamped(cmd.now) },
  }];
}

export const countSessionDecider: StreamDecider<CountSessionCommand, CountSessionState, CountSessionEvent> = {
  initial: initialCountSessionState,
  evolve: evolveCountSession,
  decide(command, state) {
    switch (command.type) {
      case 'OpenCountSession': return decideOpen(command, state);
      case 'RecordCountScans': return decideScans(command, state);
      case 'RequestRecount': return decideRecount(command, state);
      case 'StartPosting': return decideStartPosting(command, state);
      case 'CompletePosting': return decideCompletePosting(command, state);
      case 'CancelCountSession': return decideCancel(command, state);
      case 'DropPostingLines': return decideDropLines(command, state);
      default: {
        const _exhaustive: never = command;
        throw new Error('unknown count session command');
      }
    }
  },
};
