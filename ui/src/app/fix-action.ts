/**
 * Fixing an action the server refused after the fact, before sending it again: its quantities
 * (a write-off of more than is on hand, a receipt line mistyped) and, for a count scan, the
 * count it goes to (the one it was made for was posted or cancelled meanwhile).
 *
 * A fixed action keeps its client id (scanId, adjustmentId, receiptId). The server applied
 * nothing for a refused request, so the id is free; and should an earlier send have landed after
 * all, the server knows the id and answers "duplicate" or 409 "reused": never a second effect.
 */
import type { QueuedAction } from './db';

export interface FixField {
  /** Where the quantity sits in the body: 'quantity' or 'lines.0.quantity'. */
  key: string;
  label: string;
  /** Units, always positive: the sign of an adjustment stays as it was. */
  value: number;
}

type Line = { sku: string; quantity: number };

/** The quantities a person may change, by kind of action. */
export function fixableFields(action: QueuedAction): FixField[] {
  const body = action.body;
  switch (action.kind) {
    case 'adjustment':
      return [{ key: 'quantity', label: `${String(body.sku)} units`, value: Math.abs(body.quantity as number) }];
    case 'count-scan':
    case 'transfer-receipt':
    case 'po-receipt':
      return (body.lines as Line[]).map((l, i) => ({ key: `lines.${i}.quantity`, label: `${l.sku} units`, value: l.quantity }));
    default: {
      const _exhaustive: never = action.kind;
      return _exhaustive;
    }
  }
}

export class FixProblem extends Error {}

const countPath = (sessionId: string) => `/api/count-sessions/${sessionId}/scans`;
/** The count session a scan goes to. */
export const sessionOfScan = (action: QueuedAction): string | undefined => /^\/api\/count-sessions\/([^/]+)\/scans$/.exec(action.path)?.[1];

/**
 * The action with the quantities given (by field key) and, for a count scan, another session.
 * Quantities must be whole numbers of at least 1 (a receipt line may be 0 when another line is not).
 */
export function applyFix(action: QueuedAction, values: Readonly<Record<string, number>>, sessionId?: string): QueuedAction {
  // A JSON copy: the action may be a Vue reactive proxy, which structuredClone refuses.
  const body = JSON.parse(JSON.stringify(action.body)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    const receipt = action.kind === 'transfer-receipt' || action.kind === 'po-receipt';
    if (!Number.isInteger(value) || value < (receipt ? 0 : 1)) throw new FixProblem(`${key.replace(/^lines\.(\d+)\./, 'line $1 ')}: a whole number of at least ${receipt ? 0 : 1}`);
    if (key === 'quantity' && action.kind === 'adjustment') body.quantity = Math.sign(body.quantity as number) * value;
    else {
      const match = /^lines\.(\d+)\.quantity$/.exec(key);
      const line = match ? (body.lines as Line[] | undefined)?.[Number(match[1])] : undefined;
      if (!line) throw new FixProblem(`${key} is not a quantity of this action`);
      line.quantity = value;
    }
  }
  if (Array.isArray(body.lines) && (body.lines as Line[]).every((l) => l.quantity === 0)) throw new FixProblem('nothing left to send: every quantity is 0');
  let path = action.path;
  if (sessionId !== undefined) {
    if (action.kind !== 'count-scan') throw new FixProblem('only a count scan moves to another count');
    path = countPath(sessionId);
  }
  return { ...action, path, body, label: relabel(action, body) };
}

/** The label says the new quantity ("Scan tee +3 (count)", "Mug -1 (damaged)", "Receipt of ... (4 units)"). */
function relabel(action: QueuedAction, body: Record<string, unknown>): string {
  if (action.kind === 'adjustment') {
    const q = body.quantity as number;
    return action.label.replace(/ [+-]\d+ \(/, ` ${q > 0 ? '+' : ''}${q} (`);
  }
  const units = (body.lines as Line[]).reduce((n, l) => n + l.quantity, 0);
  if (action.kind === 'count-scan') return action.label.replace(/ \+\d+ \(count\)$/, ` +${units} (count)`);
  return action.label.replace(/\(\d+ units\)$/, `(${units} units)`);
}
