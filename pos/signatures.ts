/**
 * Webhook signatures, computed over the RAW body bytes exactly as each platform signs them and
 * compared in constant time. The secret is the credential of a public route.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const hmac = (secret: string, ...parts: Buffer[]) => {
  const h = createHmac('sha256', secret);
  for (const part of parts) h.update(part);
  return h.digest();
};

function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(secret, raw body)). */
export function verifyShopify(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !BASE64.test(header)) return false;
  return sameBytes(hmac(secret, rawBody), Buffer.from(header, 'base64'));
}

/** Square: `x-square-hmacsha256-signature` = base64(HMAC-SHA256(key, notification URL + raw body)). */
export function verifySquare(secret: string, notificationUrl: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !BASE64.test(header)) return false;
  return sameBytes(hmac(secret, Buffer.from(notificationUrl, 'utf8'), rawBody), Buffer.from(header, 'base64'));
}

/** Generic: `X-IMS-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export function verifyGeneric(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header ?? '');
  if (!match) return false;
  return sameBytes(hmac(secret, rawBody), Buffer.from(match[1]!, 'hex'));
}

/** Signing helpers, as the platforms do it (tests, docs examples, scripts). */
export const sign = {
  shopify: (secret: string, body: string | Buffer) => createHmac('sha256', secret).update(body).digest('base64'),
  square: (secret: string, notificationUrl: string, body: string | Buffer) =>
    createHmac('sha256', secret).update(notificationUrl).update(body).digest('base64'),
  generic: (secret: string, body: string | Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
};
