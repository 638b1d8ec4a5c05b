import { describe, expect, it } from 'vitest';
import { toMongoFilter, toMongoSort } from './mongo-query';
import { checkQuery } from './query-rules';
import { InvalidQueryError, type Query } from './port';

describe('toMongoFilter', () => {
  it('given user strings that look like operators, then they stay values under our own operators', () => {
    const filter = toMongoFilter(checkQuery({ where: { loc: '{"$ne":null}', sku: '$where' } }));
    expect(filter).toEqual({ $and: [{ loc: { $eq: '{"$ne":null}' } }, { sku: { $eq: '$where' } }] });
  });

  it('given ranges and lists, then each bound is its own clause', () => {
    const filter = toMongoFilter(checkQuery({ where: { pos: { gte: 1, lt: 5 }, k: { in: ['a', null] } } }));
    expect(filter).toEqual({ $and: [{ pos: { $gte: 1 } }, { pos: { $lt: 5 } }, { k: { $in: ['a', null] } }] });
    expect(toMongoFilter(checkQuery({}))).toEqual({});
  });

  it('given an object where a scalar belongs, then it is refused before reaching the driver', () => {
    for (const where of [{ loc: { $ne: null } }, { loc: { eq: { $gt: '' } } }, { $where: 'x' }, { 'a.b': 1 }]) {
      expect(() => checkQuery({ where } as unknown as Query)).toThrow(InvalidQueryError);
    }
  });

  it('given an order, then _id breaks ties in the direction of the last key', () => {
    expect(toMongoSort(checkQuery({ orderBy: [['a', 'asc'], ['b', 'desc']] }))).toEqual({ a: 1, b: -1, _id: -1 });
    expect(toMongoSort(checkQuery({}))).toEqual({ _id: 1 });
  });
});
