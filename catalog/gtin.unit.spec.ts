import { describe, expect, it } from 'vitest';
import { normaliseBarcodes, normaliseGtin } from './gtin';

describe('GTIN normalisation', () => {
  it('gives UPC-A and its EAN-13 form one key', () => {
    expect(normaliseGtin('036000291452')).toBe('0036000291452');
    expect(normaliseGtin('0036000291452')).toBe('0036000291452');
    expect(normaliseGtin('00036000291452')).toBe('0036000291452');
  });

  it('keeps a GTIN-14 with a packaging indicator at 14 digits', () => {
    expect(normaliseGtin('10036000291459')).toBe('10036000291459');
  });

  it('pads EAN-8 and accepts spaces and dashes', () => {
    expect(normaliseGtin('9638-5074')).toBe('0000096385074');
    expect(normaliseGtin(' 4006381 333931 ')).toBe('4006381333931');
  });

  it('refuses a wrong check digit, letters and odd lengths', () => {
    expect(normaliseGtin('036000291453')).toBeUndefined();
    expect(normaliseGtin('ABC123')).toBeUndefined();
    expect(normaliseGtin('12345')).toBeUndefined();
  });

  it('lists the codes that are not GTINs and deduplicates the others', () => {
    expect(normaliseBarcodes(['036000291452', '0036000291452', 'nope', ''])).toEqual({ barcodes: ['0036000291452'], invalid: ['nope'] });
  });
});
