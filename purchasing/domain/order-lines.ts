/**
 * A purchase order's arithmetic, shared by the deciders and the read model:
 * outstanding = max(0, ordered − received − closed); status from the lines and the flags.
 */
import type { poStatuses } from '../../schemas/purchasing';

export type PurchaseOrderStatus = (typeof poStatuses)[number];

export interface LineFigures {
  readonly ordered: number;
  readonly received: number;
  readonly closed: number;
}

export const outstandingOf = (l: LineFigures): number => Math.max(0, l.ordered - l.received - l.closed);

export function statusOf(flags: { sent: boolean; cancelled: boolean }, lines: readonly LineFigures[]): PurchaseOrderStatus {
  if (flags.cancelled) return 'cancelled';
  if (!flags.sent) return 'draft';
  if (lines.every((l) => outstandingOf(l) === 0)) return 'received';
  if (lines.some((l) => l.received > 0 || l.closed > 0)) return 'partially_received';
  return 'sent';
}

/** Expected delivery: the send instant plus the supplier's lead time in whole days. */
export const expectedAtOf = (sentAt: string, leadTimeDays: number): string =>
  new Date(Date.parse(sentAt) + leadTimeDays * 86_400_000).toISOString();
