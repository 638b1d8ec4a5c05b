/**
 * Pushes a balance to Square: `POST /v2/inventory/changes/batch-create` with one
 * `PHYSICAL_COUNT` change (state `IN_STOCK`, quantity as a decimal string, `occurred_at` = when
 * Stocktide recorded that balance). The `idempotency_key` is derived from the job's content, so
 * a retry that Square already applied is not applied twice. Square counts cannot be negative:
 * a negative balance is pushed as 0.
 */
import { createHash } from 'node:crypto';
import type { PosConnection } from '../../pos/connections/connection-store';
import { SQUARE_VERSION } from '../../pos/square/square-api';
import { httpRequest, outcomeOf, type Fetch } from '../http-attempt';
import type { PushJob } from '../store/outbound-store';
import type { PushOutcome } from './shopify-push';

export const squareIdempotencyKey = (job: PushJob): string =>
  createHash('sha256').update(`${job.id}|${job.position}|${job.quantity}`).digest('hex');

export function batchCreateBody(job: PushJob): Record<string, unknown> {
  return {
    idempotency_key: squareIdempotencyKey(job),
    changes: [{
      type: 'PHYSICAL_COUNT',
      physical_count: {
        reference_id: job.notificationId,
        catalog_object_id: job.posItemId,
        location_id: job.posLocationId,
        quantity: String(Math.max(0, job.quantity)),
        state: 'IN_STOCK',
        occurred_at: job.recordedAt,
      },
    }],
    ignore_unchanged_counts: true,
  };
}

export async function pushToSquare(fetchImpl: Fetch, c: PosConnection, job: PushJob, now: Date, timeoutMs: number): Promise<PushOutcome> {
  if (!c.apiBaseUrl || !c.accessToken) return { result: 'fail', error: `connection ${c.id} has no apiBaseUrl or access token` };
  const answer = await httpRequest(fetchImpl, `${c.apiBaseUrl.replace(/\/+$/, '')}/v2/inventory/changes/batch-create`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/json',
      authorization: `Bearer ${c.accessToken}`, 'square-version': SQUARE_VERSION,
    },
    body: JSON.stringify(batchCreateBody(job)),
  }, timeoutMs);
  const outcome = outcomeOf(answer, now, 'Square');
  if (outcome.result === 'delivered') return { ...outcome, pushedQuantity: job.quantity };
  if (!('error' in answer) && outcome.result === 'fail') {
    try {
      const errors = (JSON.parse(answer.text) as { errors?: { code?: string; detail?: string }[] }).errors ?? [];
      if (errors.length) return { ...outcome, error: `Square refused: ${errors.map((e) => `${e.code}: ${e.detail ?? ''}`).join('; ')}` };
    } catch { /* the status says enough */ }
  }
  return outcome;
}
