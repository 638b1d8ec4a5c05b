/**
 * Signing of outbound webhooks: `X-Stocktide-Signature: sha256=<hex HMAC-SHA256(secret, raw
 * body)>`, the same scheme Stocktide accepts from generic POS systems. The receiver computes the
 * HMAC over the exact bytes it received and compares in constant time; `X-Stocktide-Event-Id`
 * (the notification id, the same on every attempt) lets it drop repeats.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-stocktide-signature';
export const EVENT_ID_HEADER = 'x-stocktide-event-id';
export const TIMESTAMP_HEADER = 'x-stocktide-timestamp';

export const signBody = (secret: string, rawBody: string): string =>
  `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;

/** What a receiver does: true when `header` is the signature of `rawBody` under `secret`. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A fresh secret for a subscription that did not bring its own (shown once). */
export const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function webhookHeaders(secret: string, rawBody: string, eventId: string, now: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Stocktide-Webhooks/1',
    [SIGNATURE_HEADER]: signBody(secret, rawBody),
    [EVENT_ID_HEADER]: eventId,
    [TIMESTAMP_HEADER]: now.toISOString(),
  };
}
