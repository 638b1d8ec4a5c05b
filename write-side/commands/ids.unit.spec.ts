import fc from 'fast-check';
import { v5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { deterministicId, posReturnEventId, posSaleEventId, STOCKTIDE_NAMESPACE } from './ids';

describe('deterministic ids', () => {
  it('given any name, when hashed natively, then it is exactly the uuid package\'s v5 (old repeats still deduplicate)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (name) => {
      expect(deterministicId(name)).toBe(v5(name, STOCKTIDE_NAMESPACE));
    }), { numRuns: 300 });
  });

  it('given a POS event, when it becomes a sale and a return, then their ids differ and repeat', () => {
    expect(posSaleEventId('till-1', 'E1')).toBe(v5('pos:till-1:E1', STOCKTIDE_NAMESPACE));
    expect(posReturnEventId('till-1', 'E1')).toBe(v5('pos:till-1:E1:return', STOCKTIDE_NAMESPACE));
    expect(posSaleEventId('till-1', 'E1')).not.toBe(posReturnEventId('till-1', 'E1'));
  });
});
