import { describe, expect, it } from 'vitest';
import { WrittenIds } from './written-ids';

const saleId = (i: number) => `sale|L${i % 20}|${(i * 2654435761 % 4294967296).toString(36)}-${i}`;

describe('WrittenIds (the ids a rebuild wrote out, as a Bloom filter)', () => {
  it('given 200,000 ids written (past the first filter), when each is asked, then every one might be held (no false "never written")', () => {
    const ids = new WrittenIds();
    for (let i = 0; i < 200_000; i += 1) ids.add(saleId(i));
    for (let i = 0; i < 200_000; i += 1) if (!ids.mightHold(saleId(i))) expect.fail(`${saleId(i)} answered never written`);
  });

  it('given 200,000 ids written, when 100,000 others are asked, then at most a few percent are false alarms, in a few MiB at most', () => {
    const ids = new WrittenIds();
    for (let i = 0; i < 200_000; i += 1) ids.add(saleId(i));
    let alarms = 0;
    for (let i = 200_000; i < 300_000; i += 1) if (ids.mightHold(saleId(i))) alarms += 1;
    expect(alarms / 100_000).toBeLessThan(0.03);
    expect(ids.bytes).toBeLessThan(1024 * 1024);
  });

  it('given nothing written, when asked, then never held; ids differing in one character are told apart', () => {
    const ids = new WrittenIds();
    expect(ids.mightHold('a')).toBe(false);
    ids.add('L1|SKU-1|2026-01-01');
    expect(ids.mightHold('L1|SKU-1|2026-01-01')).toBe(true);
    expect(ids.mightHold('L1|SKU-1|2026-01-02')).toBe(false);
    expect(ids.mightHold('')).toBe(false);
  });
});
