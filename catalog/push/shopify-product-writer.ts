/**
 * Product pushes to Shopify through the GraphQL Admin API:
 * - find: `productVariants(first: 2, query: "sku:…")`;
 * - read: `productVariant(id:)`;
 * - create: `productSet(synchronous: true, input: {title, productOptions, variants: [{price, barcode, inventoryItem: {sku, tracked}}]})`:
 *   one product with its one default variant;
 * - update: `productUpdate(product: {id, title})` and `productVariantsBulkUpdate(productId, variants: [{id, price, barcode, inventoryItem: {sku}}])`
 *   in one request (a GraphQL document runs its mutations in order).
 * Shopify has no version check on product writes: the pusher reads first and compares (see
 * product-pusher.ts); a change made in the POS between that read and this write is not seen.
 * Creating is made safe against a lost answer by finding the SKU first (a retry finds the
 * product its first attempt created).
 */
import type { PosConnection } from '../../pos/connections/connection-store';
import { itemName } from '../pos-catalog-item';
import { legacyId, shopifyGraphql } from '../sources/shopify-source';
import { minorUnits, PosApiError } from '../sources/catalog-source';
import { decimalAmount, productTitleFor, ProductWriteRefused, type PosProduct, type ProductWriter } from './pos-product';

const VARIANT_FIELDS = `id legacyResourceId sku title price barcode updatedAt
      product { id legacyResourceId title variantsCount { count } }
      inventoryItem { id legacyResourceId }`;

export const FIND_VARIANT_QUERY = `query StocktideVariantBySku($query: String!) {
  productVariants(first: 2, query: $query) { nodes { ${VARIANT_FIELDS} } }
}`;

export const READ_VARIANT_QUERY = `query StocktideVariant($id: ID!) {
  productVariant(id: $id) { ${VARIANT_FIELDS} }
}`;

export const CREATE_PRODUCT_MUTATION = `mutation StocktideProductCreate($input: ProductSetInput!) {
  productSet(synchronous: true, input: $input) {
    product { id legacyResourceId variants(first: 1) { nodes { ${VARIANT_FIELDS} } } }
    userErrors { field message code }
  }
}`;

export const UPDATE_PRODUCT_MUTATION = `mutation StocktideProductUpdate($product: ProductUpdateInput!, $productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productUpdate(product: $product) { product { id title } userErrors { field message } }
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { ${VARIANT_FIELDS} }
    userErrors { field message code }
  }
}`;

interface VariantNode {
  id: string; legacyResourceId?: string; sku?: string | null; title?: string | null; price?: string | null; barcode?: string | null; updatedAt?: string | null;
  product: { id: string; legacyResourceId?: string; title: string; variantsCount?: { count: number } | null };
  inventoryItem?: { id: string; legacyResourceId?: string } | null;
}
type UserErrors = Array<{ field?: string[] | null; message?: string; code?: string | null }> | undefined;

const gid = (type: string, id: string) => (id.startsWith('gid://') ? id : `gid://shopify/${type}/${id}`);
const DEFAULT_TITLE = 'Default Title';

export function posProductOfVariant(v: VariantNode): PosProduct {
  const posItemId = v.legacyResourceId ?? legacyId(v.id);
  const inventoryItemId = v.inventoryItem ? (v.inventoryItem.legacyResourceId ?? legacyId(v.inventoryItem.id)) : undefined;
  const price = minorUnits(v.price ?? undefined);
  const variantTitle = v.title && v.title !== DEFAULT_TITLE ? v.title : undefined;
  return {
    posItemId, aliases: inventoryItemId ? [inventoryItemId] : [], posProductId: v.product.legacyResourceId ?? legacyId(v.product.id),
    ...(v.sku ? { sku: v.sku } : {}),
    name: itemName(v.product.title, v.title ?? undefined, v.sku || posItemId),
    ...(v.barcode ? { barcode: v.barcode } : {}),
    ...(price !== undefined && { price }),
    ...(v.updatedAt ? { posUpdatedAt: new Date(v.updatedAt).toISOString() } : {}),
    ...(variantTitle && { variantTitle }),
  };
}

function refusedBy(errors: UserErrors, what: string): void {
  if (errors && errors.length > 0) {
    throw new ProductWriteRefused(`Shopify refused the ${what}: ${errors.map((e) => `${e.code ?? (e.field ?? []).join('.')}: ${e.message ?? ''}`).join('; ')}`);
  }
}

export function shopifyProductWriter(c: PosConnection, fetchImpl: typeof fetch): ProductWriter {
  const graphql = async <T>(query: string, variables: Record<string, unknown>) => (await shopifyGraphql(fetchImpl, c, query, variables)) as { data?: T };
  return {
    async findBySku(sku) {
      const body = await graphql<{ productVariants?: { nodes: VariantNode[] } }>(FIND_VARIANT_QUERY, { query: `sku:"${sku}"` });
      // Shopify's search is by token: keep exact matches only.
      const node = body.data?.productVariants?.nodes.find((n) => n.sku === sku);
      return node ? posProductOfVariant(node) : undefined;
    },

    async read(link) {
      const body = await graphql<{ productVariant?: VariantNode | null }>(READ_VARIANT_QUERY, { id: gid('ProductVariant', link.posItemId) });
      return body.data?.productVariant ? posProductOfVariant(body.data.productVariant) : undefined;
    },

    async create(product) {
      const input = {
        title: product.name,
        productOptions: [{ name: 'Title', values: [{ name: DEFAULT_TITLE }] }],
        variants: [{
          optionValues: [{ optionName: 'Title', name: DEFAULT_TITLE }],
          ...(product.price !== undefined && { price: decimalAmount(product.price) }),
          ...(product.barcode && { barcode: product.barcode }),
          inventoryItem: { sku: product.sku, tracked: true },
        }],
      };
      const body = await graphql<{ productSet?: { product?: { variants: { nodes: VariantNode[] } } | null; userErrors?: UserErrors } }>(CREATE_PRODUCT_MUTATION, { input });
      refusedBy(body.data?.productSet?.userErrors, 'new product');
      const node = body.data?.productSet?.product?.variants.nodes[0];
      if (!node) throw new PosApiError('Shopify created no variant (answer without product)', true);
      return posProductOfVariant(node);
    },

    async update(current, product) {
      const title = productTitleFor(product.name, current.variantTitle);
      if (title === undefined) {
        throw new ProductWriteRefused(`the name "${product.name}" cannot be written to a variant titled "${current.variantTitle}": Shopify names it "<product title> - ${current.variantTitle}"`);
      }
      const productId = gid('Product', current.posProductId!);
      const body = await graphql<{
        productUpdate?: { userErrors?: UserErrors };
        productVariantsBulkUpdate?: { productVariants?: VariantNode[] | null; userErrors?: UserErrors };
      }>(UPDATE_PRODUCT_MUTATION, {
        product: { id: productId, title },
        productId,
        variants: [{
          id: gid('ProductVariant', current.posItemId),
          ...(product.price !== undefined && { price: decimalAmount(product.price) }),
          ...(product.barcode && { barcode: product.barcode }),
          inventoryItem: { sku: product.sku },
        }],
      });
      refusedBy(body.data?.productUpdate?.userErrors, 'product title');
      refusedBy(body.data?.productVariantsBulkUpdate?.userErrors, 'variant');
      const node = body.data?.productVariantsBulkUpdate?.productVariants?.[0];
      if (!node) throw new PosApiError('Shopify answered the update without the variant', true);
      return posProductOfVariant(node);
    },
  };
}
