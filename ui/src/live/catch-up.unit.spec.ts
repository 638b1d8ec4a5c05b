import { describe, expect, it } from 'vitest';
import { catchUpMessage } from './catch-up';

describe('the catch-up banner', () => {
  it('given read models far behind, then it says how far, the share done and, once known, the time left and rate', () => {
    expect(catchUpMessage({ state: 'catching_up', behind: '750000', percent: 25 }))
      .toBe('Figures are catching up with the event log: 25% done, 750,000 events behind.');
    expect(catchUpMessage({ state: 'catching_up', behind: '700000', percent: 30, eventsPerSecond: 25_000, etaSeconds: 28 }))
      .toBe('Figures are catching up with the event log: 30% done, 700,000 events behind, about 28 s left, 25,000 events/s.');
    expect(catchUpMessage({ state: 'catching_up', behind: '9000000', percent: 10, eventsPerSecond: 2_000, etaSeconds: 4_500 }))
      .toContain('about 1 h 15 min left');
  });

  it('given live read models or no answer, then there is no banner', () => {
    expect(catchUpMessage({ state: 'live', behind: '3', percent: 99.9 })).toBeUndefined();
    expect(catchUpMessage(undefined)).toBeUndefined();
  });
});
