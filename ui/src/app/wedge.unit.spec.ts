import { describe, expect, it } from 'vitest';
import { wedgeReader } from './wedge';

const feed = (keys: Array<[string, number]>) => {
  const read = wedgeReader();
  return keys.map(([k, t]) => read(k, t)).filter((c) => c !== undefined);
};
const burst = (text: string, start: number, gap: number): Array<[string, number]> => [...text, 'Enter'].map((k, i) => [k, start + i * gap]);

describe('keyboard-wedge scanner', () => {
  it('reads a fast burst ended by Enter as one code, and two bursts as two', () => {
    expect(feed(burst('4006381333931', 0, 5))).toEqual(['4006381333931']);
    expect(feed([...burst('4006381333931', 0, 5), ...burst('036000291452', 1000, 8)])).toEqual(['4006381333931', '036000291452']);
  });
  it('ignores a person typing (keys far apart) and a too short burst', () => {
    expect(feed(burst('4006381333931', 0, 150))).toEqual([]);
    expect(feed(burst('123', 0, 5))).toEqual([]);
  });
  it('starts afresh after a pause: slow keys before a burst are not part of the code', () => {
    expect(feed([['x', 0], ['y', 300], ...burst('ABC-123', 600, 5)])).toEqual(['ABC-123']);
  });
});
