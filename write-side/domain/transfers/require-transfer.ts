import { NotFound } from '../errors';
import type { DecisionView } from '../view';
import type { TransferState } from './transfer-state';

export function requireTransfer(view: DecisionView, transferId: string): Extract<TransferState, { created: true }> {
  const transfer = view.transfer(transferId);
  if (!transfer.created) throw new NotFound(`unknown transfer ${transferId}`, 'unknown-transfer');
  return transfer;
}

export const transferKeys = (t: { transferId: string; fromLocationId: string; toLocationId: string }) => ({
  transferId: t.transferId, fromLocationId: t.fromLocationId, toLocationId: t.toLocationId,
});
