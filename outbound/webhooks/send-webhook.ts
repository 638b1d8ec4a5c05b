/** One attempt of one webhook delivery: the stored body, signed with the subscription's secret. */
import { httpRequest, outcomeOf, type Fetch } from '../http-attempt';
import type { Outcome } from '../retry-policy';
import type { Subscription, WebhookDelivery } from '../store/outbound-store';
import { webhookHeaders } from './signing';

export async function sendWebhook(
  fetchImpl: Fetch, subscription: Subscription, delivery: WebhookDelivery, now: Date, timeoutMs: number,
): Promise<Outcome> {
  const raw = JSON.stringify(delivery.body);
  const answer = await httpRequest(fetchImpl, subscription.url, {
    method: 'POST', headers: webhookHeaders(subscription.secret, raw, delivery.notificationId, now), body: raw,
  }, timeoutMs);
  return outcomeOf(answer, now, 'the receiver');
}
