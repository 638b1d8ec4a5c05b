import { describe, expect, it, vi } from 'vitest';
import { HeldEntry } from './held-entry';
import type { InboxSettlement, NewInboxEntry } from './inbox-store';
import { SqliteInboxStore } from './sqlite-inbox-store';

const entry: NewInboxEntry = {
  id: 'held-1', connectionId: 'till', receivedAt: '2024-06-02T12:00:00.000Z',
  delivery: { kind: 'generic', rawBody: '{"eventId":"e1"}' }, headers: { 'content-type': 'application/json' },
};
const applied: InboxSettlement = { status: 'done', at: '2024-06-02T12:00:01.000Z', outcome: { status: 'applied', position: '7', duplicate: false } };

describe('HeldEntry: the webhook\'s inbox entry', () => {
  it('given processing that settles first, then the entry is written once, settled, with no pending row before', async () => {
    const inbox = new SqliteInboxStore(':memory:');
    const receive = vi.spyOn(inbox, 'receive');
    const settle = vi.spyOn(inbox, 'settle');
    await new HeldEntry(inbox, entry).settle(applied, false);
    expect(await inbox.get('held-1')).toEqual({ ...entry, status: 'done', attempts: 0, outcome: applied.outcome, settledAt: applied.at });
    expect(receive).not.toHaveBeenCalled();
    expect(settle).not.toHaveBeenCalled();
    await inbox.close();
  });

  it('given a delivery kept before processing settles, then it is stored pending and synced, and the settlement updates it', async () => {
    const inbox = new SqliteInboxStore(':memory:');
    const sync = vi.spyOn(inbox, 'sync');
    const held = new HeldEntry(inbox, entry);
    await held.keep();
    await held.keep(); // nothing written since: no second write
    expect(await inbox.listPending()).toEqual([{ ...entry, status: 'pending', attempts: 0 }]);
    expect(sync).not.toHaveBeenCalled(); // kept with a durable receive
    await held.settle(applied, false);
    expect(await inbox.get('held-1')).toMatchObject({ status: 'done', outcome: applied.outcome });
    await inbox.close();
  });

  it('given a settled entry then kept (the budget passed meanwhile), then it is synced; given a failed write, keep stores it', async () => {
    const inbox = new SqliteInboxStore(':memory:');
    const sync = vi.spyOn(inbox, 'sync');
    const held = new HeldEntry(inbox, entry);
    const settled = held.settle(applied, false);
    await held.keep();
    await settled;
    expect(sync).toHaveBeenCalledWith('held-1');
    expect(await inbox.get('held-1')).toMatchObject({ status: 'done' });

    const failing = new HeldEntry(inbox, { ...entry, id: 'held-2' });
    vi.spyOn(inbox, 'receiveSettled').mockRejectedValueOnce(new Error('disk full'));
    await expect(failing.settle(applied, false)).rejects.toThrow('disk full');
    await failing.keep();
    expect(await inbox.get('held-2')).toMatchObject({ status: 'pending', attempts: 0 });
    await inbox.close();
  });
});
