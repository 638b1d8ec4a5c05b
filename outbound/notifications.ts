/**
 * The outbox: notification documents written by the `outbox` projection and read by the
 * sender. Ids sort by log position, then by their order inside the event, so a cursor on
 * `_id` walks them exactly once and in log order.
 */
import type { Doc } from '../projections/readstore/port';
import { padPosition } from '../projections/models/keys';
import type { notificationKinds } from '../schemas/outbound';

export type NotificationKind = (typeof notificationKinds)[number];

export const OUTBOX = {
  notifications: 'outbox',
  balances: 'outbox_balances',
  skus: 'outbox_skus',
  seen: 'outbox_seen',
  /** The locations in shadow (go-live) as of the projected position: one document, `shadow`. */
  modes: 'outbox_modes',
} as const;

export type OutboxDoc = Doc & {
  readonly kind: NotificationKind;
  /** The event's log position, zero-padded (20 digits) so that string order is numeric order. */
  readonly position: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly payload: Record<string, unknown>;
  /**
   * The payload's location was in shadow when the event was recorded: the sender pushes and
   * notifies nothing for it, whatever the location's mode is by the time it reads the document.
   */
  readonly shadow?: true;
};

/** `<zero-padded position>:<n, zero-padded to 5>`: unique, and ordered like the log. */
export const notificationId = (position: bigint, n: number): string => `${padPosition(position)}:${String(n).padStart(5, '0')}`;

/** The decimal form of a padded position, as the API shows positions. */
export const plainPosition = (padded: string): string => BigInt(padded).toString();

/** The body a webhook receives (the same object for every attempt). */
export interface WebhookBody {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly position: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

export const webhookBody = (doc: OutboxDoc): WebhookBody => ({
  id: doc._id, kind: doc.kind, position: plainPosition(doc.position), occurredAt: doc.occurredAt, data: doc.payload,
});
