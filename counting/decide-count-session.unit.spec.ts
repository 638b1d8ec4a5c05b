import { describe, expect, it } from 'vitest';
import { givenStream } from '../write-side/domain/testing/stream-spec';
import { BusinessRuleViolation, NotFound } from '../write-side/domain/errors';
import { countSessionDecider, type OpenCountSessionCommand, type RecordCountScansCommand } from './decide-count-session';
import type { CountSessionEvent } from './count-session-state';
import { postingCountId } from './posting';

const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-01T09:05:00.000Z';
const T2 = '2026-03-01T09:10:00.000Z';
const NOW = '2026-03-01T09:30:00.000Z';

const open = (over: Partial<OpenCountSessionCommand> = {}): OpenCountSessionCommand => ({
  type: 'OpenCountSession', sessionId: 's1', locationId: 'store-a', scope: {}, blind: true, openedBy: 'mo', now: T0, ...over,
});
const opened = (over: Partial<OpenCountSessionCommand> = {}): CountSessionEvent => {
  const { type: _t, now, ...data } = open(over);
  return { type: 'CountSessionOpened', data: { ...data, occurredAt: now, recordedAt: now } };
};
const scans = (deviceId: string, lines: RecordCountScansCommand['lines'], countedBy = 'sam'): RecordCountScansCommand => ({
  type: 'RecordCountScans', sessionId: 's1', deviceId, countedBy, lines, now: NOW,
});
const recorded = (deviceId: string, lines: RecordCountScansCommand['lines'], countedBy = 'sam'): CountSessionEvent => ({
  type: 'CountScansRecorded', data: { sessionId: 's1', deviceId, countedBy, lines: [...lines], occurredAt: NOW, recordedAt: NOW },
});
const scan = (scanId: string, sku: string, quantity: number, countedAt = T1) => ({ scanId, sku, quantity, countedAt });
const stamp = { occurredAt: NOW, recordedAt: NOW };

describe('opening a count session', () => {
  it('given nothing, when a manager opens a blind count, then CountSessionOpened carries location, scope and blindness', () => {
    givenStream(countSessionDecider).when(open()).then([opened()]);
  });
  it('treats the same opening again as done and another session under the same id as a conflict', () => {
    givenStream(countSessionDecider, opened()).when(open({ now: T1 })).then([]);
    givenStream(countSessionDecider, opened()).when(open({ locationId: 'store-b' })).thenThrows(BusinessRuleViolation, 'count-session-exists');
  });
});

describe('scanning into a session', () => {
  it('records the scans of a phone', () => {
    givenStream(countSessionDecider, opened()).when(scans('phone-1', [scan('a1', 'TEE', 1)])).then([recorded('phone-1', [scan('a1', 'TEE', 1)])]);
  });
  it('adds up two phones: the state holds the sum, dated at the earliest scan', () => {
    const history = [opened(), recorded('phone-1', [scan('a1', 'TEE', 3, T2)]), recorded('phone-2', [scan('b1', 'TEE', 2, T1)], 'kim')];
    const state = history.reduce(countSessionDecider.evolve, countSessionDecider.initial());
    expect(state.opened && state.lines.get('TEE')).toEqual({ counted: 5, firstCountedAt: T1 });
  });
  it('adds nothing for a scan id already applied, and leaves it out of a batch that also has new scans', () => {
    const history = [opened(), recorded('phone-1', [scan('a1', 'TEE', 1)])];
    givenStream(countSessionDecider, ...history).when(scans('phone-1', [scan('a1', 'TEE', 1)])).then([]);
    givenStream(countSessionDecider, ...history).when(scans('phone-1', [scan('a1', 'TEE', 1), scan('a2', 'TEE', 1)]))
      .then([recorded('phone-1', [scan('a2', 'TEE', 1)])]);
    givenStream(countSessionDecider, opened()).when(scans('phone-1', [scan('a1', 'TEE', 1), scan('a1', 'TEE', 1)]))
      .then([recorded('phone-1', [scan('a1', 'TEE', 1)])]);
  });
  it('refuses a scan id resent with other content (a tampered queue)', () => {
    givenStream(countSessionDecider, opened(), recorded('phone-1', [scan('a1', 'TEE', 1)]))
      .when(scans('phone-1', [scan('a1', 'TEE', 50)])).thenThrows(BusinessRuleViolation, 'scan-id-reused');
  });
  it('refuses a SKU outside the scope, a scan in the future and a scan before the session opened', () => {
    givenStream(countSessionDecider, opened({ scope: { skus: ['TEE'] } })).when(scans('p', [scan('a1', 'MUG', 1)])).thenThrows(BusinessRuleViolation, 'sku-out-of-scope');
    givenStream(countSessionDecider, opened()).when(scans('p', [scan('a1', 'TEE', 1, '2026-03-01T10:00:00.000Z')])).thenThrows(BusinessRuleViolation, 'count-in-future');
    givenStream(countSessionDecider, opened()).when(scans('p', [scan('a1', 'TEE', 1, '2026-03-01T08:00:00.000Z')])).thenThrows(BusinessRuleViolation, 'scan-before-session');
  });
  it('refuses scans for an unknown session (404) and new scans once posting started (409), while a resend there adds nothing', () => {
    givenStream(countSessionDecider).when(scans('p', [scan('a1', 'TEE', 1)])).thenThrows(NotFound, 'unknown-count-session');
    const posting: CountSessionEvent = {
      type: 'CountSessionPostingStarted',
      data: { sessionId: 's1', postedBy: 'mo', counts: [{ countId: postingCountId('s1', T1), countedAt: T1, lines: [{ sku: 'TEE', countedQuantity: 1 }] }], ...stamp },
    };
    const history = [opened(), recorded('p', [scan('a1', 'TEE', 1)]), posting];
    givenStream(countSessionDecider, ...history).when(scans('p', [scan('a2', 'TEE', 1)])).thenThrows(BusinessRuleViolation, 'count-session-posted');
    givenStream(countSessionDecider, ...history).when(scans('p', [scan('a1', 'TEE', 1)])).then([]);
  });
});

describe('recount, post and cancel', () => {
  const counted = [opened(), recorded('p1', [scan('a1', 'TEE', 3, T1), scan('a2', 'MUG', 2, T2)]), recorded('p2', [scan('b1', 'TEE', 4, T2)], 'kim')];
  it('posts one stock count per instant, each SKU with the sum of every phone, dated at its first scan', () => {
    givenStream(countSessionDecider, ...counted).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).then([{
      type: 'CountSessionPostingStarted',
      data: {
        sessionId: 's1', postedBy: 'mo', ...stamp,
        counts: [
          { countId: postingCountId('s1', T1), countedAt: T1, lines: [{ sku: 'TEE', countedQuantity: 7 }] },
          { countId: postingCountId('s1', T2), countedAt: T2, lines: [{ sku: 'MUG', countedQuantity: 2 }] },
        ],
      },
    }]);
  });
  it('forgets a recounted SKU until it is scanned again', () => {
    const recount: CountSessionEvent = { type: 'CountRecountRequested', data: { sessionId: 's1', skus: ['TEE'], requestedBy: 'mo', ...stamp } };
    givenStream(countSessionDecider, ...counted).when({ type: 'RequestRecount', sessionId: 's1', skus: ['TEE'], requestedBy: 'mo', now: NOW }).then([recount]);
    const events = givenStream(countSessionDecider, ...counted, recount, recorded('p1', [scan('c1', 'TEE', 6, NOW)]))
      .when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).events();
    const posted = events[0]!.type === 'CountSessionPostingStarted' ? events[0]!.data.counts : [];
    expect(posted.flatMap((c) => c.lines)).toEqual([{ sku: 'MUG', countedQuantity: 2 }, { sku: 'TEE', countedQuantity: 6 }]);
  });
  it('resumes a post that stopped half-way, completes it once, and refuses a second post (409)', () => {
    const started = givenStream(countSessionDecider, ...counted).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).events();
    givenStream(countSessionDecider, ...counted, ...started).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).then([]);
    const done: CountSessionEvent = { type: 'CountSessionPosted', data: { sessionId: 's1', postedBy: 'mo', ...stamp } };
    givenStream(countSessionDecider, ...counted, ...started).when({ type: 'CompletePosting', sessionId: 's1', postedBy: 'mo', now: NOW }).then([done]);
    givenStream(countSessionDecider, ...counted, ...started, done).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW })
      .thenThrows(BusinessRuleViolation, 'count-session-posted');
  });
  it('refuses to post an empty session and anything on a cancelled one', () => {
    givenStream(countSessionDecider, opened()).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).thenThrows(BusinessRuleViolation, 'nothing-counted');
    const cancelled: CountSessionEvent = { type: 'CountSessionCancelled', data: { sessionId: 's1', cancelledBy: 'mo', ...stamp } };
    givenStream(countSessionDecider, ...counted).when({ type: 'CancelCountSession', sessionId: 's1', cancelledBy: 'mo', now: NOW }).then([cancelled]);
    givenStream(countSessionDecider, ...counted, cancelled).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW })
      .thenThrows(BusinessRuleViolation, 'count-session-cancelled');
    givenStream(countSessionDecider, ...counted, cancelled).when(scans('p', [scan('z1', 'TEE', 1)])).thenThrows(BusinessRuleViolation, 'count-session-cancelled');
  });
  it('given a post that stopped at a count the stock refused, when the manager leaves that SKU out, then the counts left to append are fixed again without it', () => {
    const started = givenStream(countSessionDecider, ...counted).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).events();
    const drop = { type: 'DropPostingLines', sessionId: 's1', skus: ['TEE'], postedBy: 'mo', now: NOW } as const;
    const revised: CountSessionEvent = {
      type: 'CountSessionPostingStarted',
      data: {
        sessionId: 's1', postedBy: 'mo', ...stamp, dropped: ['TEE'],
        counts: [{ countId: postingCountId('s1', T2), countedAt: T2, lines: [{ sku: 'MUG', countedQuantity: 2 }] }],
      },
    };
    givenStream(countSessionDecider, ...counted, ...started).when(drop).then([revised]);
    // Again (a retried request): nothing more to leave out. Then resuming keeps the revised counts.
    givenStream(countSessionDecider, ...counted, ...started, revised).when(drop).then([]);
    givenStream(countSessionDecider, ...counted, ...started, revised).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).then([]);
    // Leaving out the last SKU too: nothing left to append, both named.
    const all = givenStream(countSessionDecider, ...counted, ...started, revised).when({ ...drop, skus: ['MUG'] }).events();
    expect(all.map((e) => e.type === 'CountSessionPostingStarted' && [e.data.counts, e.data.dropped])).toEqual([[[], ['TEE', 'MUG']]]);
  });
  it('refuses to leave lines out of a session that is not stopped in its post', () => {
    const drop = { type: 'DropPostingLines', sessionId: 's1', skus: ['TEE'], postedBy: 'mo', now: NOW } as const;
    givenStream(countSessionDecider, ...counted).when(drop).thenThrows(BusinessRuleViolation, 'count-session-open');
    const started = givenStream(countSessionDecider, ...counted).when({ type: 'StartPosting', sessionId: 's1', postedBy: 'mo', now: NOW }).events();
    const done: CountSessionEvent = { type: 'CountSessionPosted', data: { sessionId: 's1', postedBy: 'mo', ...stamp } };
    givenStream(countSessionDecider, ...counted, ...started, done).when(drop).thenThrows(BusinessRuleViolation, 'count-session-posted');
  });
});
