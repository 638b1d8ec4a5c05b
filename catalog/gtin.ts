/**
 * GTIN normalisation: one item has one key whatever form a scanner or a POS gives it.
 * UPC-A (12), EAN-8 (8), EAN-13 (13) and GTIN-14 (14 digits) are padded to 14 digits; a leading
 * zero (no packaging indicator) is then dropped, so UPC-A `036000291452` and EAN-13
 * `0036000291452` are both `0036000291452`, while a case code `10036000291459` keeps 14 digits.
 * The check digit must be right: a typo is refused rather than stored as another item.
 */

/** The normalised GTIN, or undefined when the text is not a valid GTIN. */
export function normaliseGtin(text: string): string | undefined {
  const digits = text.trim().replace(/[\s-]/g, '');
  if (!/^[0-9]+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return undefined;
  const padded = digits.padStart(14, '0');
  if (!checkDigitOk(padded)) return undefined;
  return padded.startsWith('0') ? padded.slice(1) : padded;
}

/** GS1 mod-10: weights 3,1,3,… from the right, excluding the check digit. */
function checkDigitOk(gtin14: string): boolean {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(gtin14[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(gtin14[13]);
}

/** Normalises a list: valid codes (deduplicated, in order) and the texts that are not GTINs. */
export function normaliseBarcodes(texts: readonly string[]): { barcodes: string[]; invalid: string[] } {
  const barcodes: string[] = [];
  const invalid: string[] = [];
  for (const text of texts) {
    if (text.trim() === '') continue;
    const code = normaliseGtin(text);
    if (code === undefined) invalid.push(text);
    else if (!barcodes.includes(code)) barcodes.push(code);
  }
  return { barcodes, invalid };
}
