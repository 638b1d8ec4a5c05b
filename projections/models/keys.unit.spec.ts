import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOf, iso } from './keys';

describe('iso', () => {
  it('given instants in several textual forms, when normalised repeatedly, then each gets the same canonical UTC form every time', () => {
    const forms = ['2026-03-01T10:00:00+02:00', '2026-03-01T08:00:00Z', '2026-03-01T08:00:00.000Z'];
    for (let round = 0; round < 3; round++) {
      for (const form of forms) expect(iso(form)).toBe('2026-03-01T08:00:00.000Z');
    }
    expect(dayOf('2026-03-01T23:30:00-02:00')).toBe('2026-03-02');
  });

  it('given more distinct instants than the memo holds, when normalised, then every answer is still right', () => {
    for (let i = 0; i < 1000; i++) {
      const t = new Date(Date.UTC(2026, 0, 1) + i * 61_000);
      expect(iso(t.toISOString().replace('.000Z', 'Z'))).toBe(t.toISOString());
    }
  });

  it('given an invalid timestamp, when normalised twice, then it throws both times', () => {
    expect(() => iso('not a time')).toThrow(RangeError);
    expect(() => iso('not a time')).toThrow(RangeError);
  });

  it('given any instant in canonical or near-canonical text, when normalised, then the answer equals the Date round trip', () => {
    const instant = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(fc.property(instant, (d) => {
      const canonical = d.toISOString();
      expect(iso(canonical)).toBe(canonical);
      expect(iso(canonical.replace(/\.\d{3}Z$/, 'Z'))).toBe(new Date(canonical.replace(/\.\d{3}Z$/, 'Z')).toISOString());
    }), { seed: 7, numRuns: 500 });
    // Canonical-looking text that is not a real instant still goes through Date (and throws).
    for (const t of ['2026-02-30T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z']) {
      let expected: string | undefined;
      try { expected = new Date(t).toISOString(); } catch { expected = undefined; }
      if (expected === undefined) expect(() => iso(t)).toThrow(RangeError);
      else expect(iso(t)).toBe(expected);
    }
  });
});
