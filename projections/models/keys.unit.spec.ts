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
});
