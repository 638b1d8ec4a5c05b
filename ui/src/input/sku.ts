/**
 * A SKU as a person types it, resolved against the catalog: exact first, then ignoring case
 * when exactly one product matches (`mug-cer` is MUG-CER). Two products differing only in
 * case are never guessed between; the typed text goes to the API, which answers 404.
 */
export interface SkuOwner {
  sku: string;
}

export function resolveSku(typed: string, catalog: readonly SkuOwner[]): string {
  const text = typed.trim();
  if (catalog.some((p) => p.sku === text)) return text;
  const lower = text.toLowerCase();
  const matches = catalog.filter((p) => p.sku.toLowerCase() === lower);
  return matches.length === 1 ? matches[0]!.sku : text;
}
