/**
 * A series is built from its source (first movement, daily sales docs) for a given day; the
 * forecaster keeps the source while nothing moves, so a later day's series must come out of
 * an older source exactly as out of a fresh read.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_DAYS, seriesOf, type SeriesSource } from './series';
import { addDays } from './cover';

const source: SeriesSource = {
  firstMoved: '2031-03-01',
  docs: [
    { date: '2031-03-02', sold: 3, returned: 0 },
    { date: '2031-03-04', sold: 5, returned: 1 },
    { date: '2031-03-05', sold: 2, returned: 0 },
  ],
};

describe('series from a source', () => {
  it('given sales up to today, when built for today, then whole days up to yesterday and today apart', () => {
    expect(seriesOf(source, '2031-03-05')).toEqual({ y: [0, 3, 0, 4], firstDate: '2031-03-01', today: 2, salesDays: 2 });
  });

  it('given no movement since, when built for a later day, then the days between are zeros and today is 0', () => {
    expect(seriesOf(source, '2031-03-08')).toEqual({ y: [0, 3, 0, 4, 2, 0, 0], firstDate: '2031-03-01', today: 0, salesDays: 3 });
  });

  it('given a source older than a year, when built, then only the last year counts', () => {
    const today = addDays('2031-03-01', MAX_HISTORY_DAYS + 2);
    const s = seriesOf(source, today);
    expect(s.y).toHaveLength(MAX_HISTORY_DAYS);
    expect(s.firstDate).toBe(addDays(today, -MAX_HISTORY_DAYS));
    expect(s.salesDays).toBe(2); // the year starts on 03-03: 03-02's sale falls out
  });

  it('given a doc dated after today (a till clock ahead), then it is left for its own day', () => {
    const ahead = { ...source, docs: [...source.docs, { date: '2031-03-09', sold: 7, returned: 0 }] };
    expect(seriesOf(ahead, '2031-03-08')).toEqual(seriesOf(source, '2031-03-08'));
    expect(seriesOf(ahead, '2031-03-09').today).toBe(7);
  });
});
