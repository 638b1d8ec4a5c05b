/**
 * A fake Shopify GraphQL Admin API on 127.0.0.1 (port 0), answering the documented shapes of
 * `locations`, `productVariants` (with `productVariantsCount`), paged by opaque cursors, behind
 * `X-Shopify-Access-Token`. A store is generated with ids above 2^53 (as Shopify's are), valid
 * EAN-13 barcodes and prices as decimal strings. `failNext` answers 503 to the next N requests
 * (an import must resume where it stopped).
 *
 * Product writes (product pushes): `productVariants(query: "sku:…")`, `productVariant(id:)`,
 * `productSet` (creates a product with one default variant), `productUpdate` with
 * `productVariantsBulkUpdate`, and `inventorySetQuantities` (recorded in `inventorySets`). Every
 * write moves the variant's `updatedAt` on; `editInPos` is a merchant's edit in the Shopify admin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SHOPIFY_TOKEN = 'shpat_test_token';

export interface FakeVariant {
  legacyResourceId: string;
  sku: string | null;
  title: string;
  barcode: string | null;
  price: string;
  updatedAt: string;
  product: { legacyResourceId: string; title: string; productType?: string };
  inventoryItem: { legacyResourceId: string; unitCost: { amount: string } | null };
}
export interface FakeLocation { legacyResourceId: string; name: string; isActive: boolean }

export interface FakeShopifyAdmin {
  readonly baseUrl: string;
  variants: FakeVariant[];
  locations: FakeLocation[];
  /** `on_hand` per inventory item id and location id (answered by `inventoryItems`). */
  onHand: Record<string, Record<string, number>>;
  /** Answer 503 to this many of the next requests. */
  failNext: number;
  /** Answer 503 whenever this says so (e.g. from the third page on). */
  failWhen?: (call: { query: string; cursor: string | null }, index: number) => boolean;
  readonly calls: Array<{ query: string; cursor: string | null; variables?: Record<string, unknown> }>;
  /** `inventorySetQuantities` inputs received. */
  readonly inventorySets: Array<Record<string, unknown>>;
  /** A merchant edits a variant (or its product's title) in the Shopify admin: `updatedAt` moves on. */
  editInPos(variantId: string, change: { productTitle?: string; price?: string; sku?: string }): void;
  close(): Promise<void>;
}

/** Appends the GS1 check digit to 12 digits. */
export function ean13(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}

const BIG = 8_100_000_000_000_000_000n; // above 2^53: must never be parsed as a number

/** A generated store: `variants` variants, 4 per product, `locations` locations. */
export function generateShopifyStore(variants: number, locations: number): { variants: FakeVariant[]; locations: FakeLocation[]; onHand: Record<string, Record<string, number>> } {
  const out: FakeVariant[] = [];
  for (let i = 0; i < variants; i++) {
    const p = Math.floor(i / 4);
    out.push({
      legacyResourceId: (BIG + 10_000n + BigInt(i)).toString(),
      sku: `SH-${String(i).padStart(5, '0')}`,
      title: ['Small', 'Medium', 'Large', 'XL'][i % 4]!,
      barcode: ean13(`400${String(i).padStart(9, '0')}`),
      price: `${10 + (i % 50)}.${String(i % 100).padStart(2, '0')}`,
      updatedAt: '2024-05-01T10:00:00Z',
      product: { legacyResourceId: (BIG + BigInt(p)).toString(), title: `Shirt ${p}` },
      inventoryItem: { legacyResourceId: (BIG + 500_000n + BigInt(i)).toString(), unitCost: { amount: `${4 + (i % 7)}.50` } },
    });
  }
  const locs = Array.from({ length: locations }, (_, i) => ({ legacyResourceId: (BIG + 900_000n + BigInt(i)).toString(), name: `Shop ${i + 1}`, isActive: true }));
  const onHand: Record<string, Record<string, number>> = {};
  out.forEach((v, i) => {
    onHand[v.inventoryItem.legacyResourceId] = Object.fromEntries(locs.map((l, j) => [l.legacyResourceId, (i * 7 + j * 3) % 40]));
  });
  return { variants: out, locations: locs, onHand };
}

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const PAGE = 250;

export async function startFakeShopifyAdmin(store = generateShopifyStore(0, 0)): Promise<FakeShopifyAdmin> {
  let clock = Date.parse('2024-07-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  let created = 0;
  const fake: Omit<FakeShopifyAdmin, 'baseUrl' | 'close'> = {
    variants: store.variants, locations: store.locations, onHand: store.onHand, failNext: 0, calls: [], inventorySets: [],
    editInPos(variantId, change) {
      const v = fake.variants.find((x) => x.legacyResourceId === variantId)!;
      if (change.productTitle !== undefined) {
        for (const other of fake.variants) if (other.product.legacyResourceId === v.product.legacyResourceId) { other.product.title = change.productTitle; other.updatedAt = tick(); }
      }
      if (change.price !== undefined) v.price = change.price;
      if (change.sku !== undefined) v.sku = change.sku;
      v.updatedAt = tick();
    },
  };
  const variantNode = (v: FakeVariant) => ({
    id: gid('ProductVariant', v.legacyResourceId), legacyResourceId: v.legacyResourceId, sku: v.sku, title: v.title, barcode: v.barcode, price: v.price, updatedAt: v.updatedAt,
    product: {
      id: gid('Product', v.product.legacyResourceId), legacyResourceId: v.product.legacyResourceId, title: v.product.title, productType: v.product.productType ?? '',
      variantsCount: { count: fake.variants.filter((x) => x.product.legacyResourceId === v.product.legacyResourceId).length, precision: 'EXACT' },
    },
    inventoryItem: { id: gid('InventoryItem', v.inventoryItem.legacyResourceId), legacyResourceId: v.inventoryItem.legacyResourceId, unitCost: v.inventoryItem.unitCost && { ...v.inventoryItem.unitCost, currencyCode: 'USD' } },
  });
  const idOf = (value: unknown) => String(value ?? '').slice(String(value ?? '').lastIndexOf('/') + 1);
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || !/^\/admin\/api\/[0-9-]+\/graphql\.json$/.test(req.url ?? '')) return send(404, { errors: 'Not Found' });
      if (req.headers['x-shopify-access-token'] !== SHOPIFY_TOKEN) return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      const { query, variables } = JSON.parse(raw) as { query: string; variables?: { cursor?: string | null } & Record<string, unknown> };
      const cursor = variables?.cursor ?? null;
      fake.calls.push({ query, cursor, ...(variables && { variables }) });
      const failing = fake.failWhen?.({ query, cursor }, fake.calls.length - 1) ?? false;
      if (fake.failNext > 0 || failing) {
        if (!failing) fake.failNext -= 1;
        return send(503, { errors: 'Service Unavailable' });
      }
      const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').split(':')[1]) : 0;
      const page = <T>(all: T[], size = PAGE) => {
        const nodes = all.slice(start, start + size);
        const end = start + nodes.length;
        return { nodes, pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length ? Buffer.from(`cursor:${end}`).toString('base64') : null } };
      };
      const cost = { extensions: { cost: { requestedQueryCost: 52, actualQueryCost: 52, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1948, restoreRate: 100 } } } };
      if (query.includes('inventorySetQuantities(')) {
        fake.inventorySets.push(variables?.['input'] as Record<string, unknown>);
        return send(200, { data: { inventorySetQuantities: { inventoryAdjustmentGroup: { id: gid('InventoryAdjustmentGroup', String(fake.inventorySets.length)) }, userErrors: [] } }, ...cost });
      }
      if (query.includes('productSet(')) {
        const input = variables?.['input'] as { title: string; variants: Array<{ price?: string; barcode?: string; inventoryItem?: { sku?: string } }> };
        const n = BigInt(++created);
        const productId = (BIG + 700_000n + n).toString();
        const made = input.variants.map((iv, i): FakeVariant => ({
          legacyResourceId: (BIG + 710_000n + n * 10n + BigInt(i)).toString(), sku: iv.inventoryItem?.sku ?? null, title: 'Default Title', barcode: iv.barcode ?? null,
          price: iv.price ?? '0.00', updatedAt: tick(), product: { legacyResourceId: productId, title: input.title },
          inventoryItem: { legacyResourceId: (BIG + 720_000n + n * 10n + BigInt(i)).toString(), unitCost: null },
        }));
        fake.variants.push(...made);
        return send(200, { data: { productSet: { product: { id: gid('Product', productId), legacyResourceId: productId, variants: { nodes: made.map(variantNode) } }, userErrors: [] } }, ...cost });
      }
      if (query.includes('productVariantsBulkUpdate(')) {
        const productId = idOf(variables?.['productId']);
        const title = (variables?.['product'] as { title?: string } | undefined)?.title;
        const updated: FakeVariant[] = [];
        const stamp = tick();
        for (const v of fake.variants) {
          if (v.product.legacyResourceId !== productId) continue;
          if (title !== undefined && v.product.title !== title) { v.product.title = title; v.updatedAt = stamp; }
        }
        for (const input of variables?.['variants'] as Array<{ id: string; price?: string; barcode?: string; inventoryItem?: { sku?: string } }>) {
          const v = fake.variants.find((x) => x.legacyResourceId === idOf(input.id) && x.product.legacyResourceId === productId);
          if (!v) return send(200, { data: { productUpdate: { product: null, userErrors: [] }, productVariantsBulkUpdate: { productVariants: null, userErrors: [{ field: ['variants', '0', 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' }] } } });
          if (input.price !== undefined) v.price = input.price;
          if (input.barcode !== undefined) v.barcode = input.barcode;
          if (input.inventoryItem?.sku !== undefined) v.sku = input.inventoryItem.sku;
          v.updatedAt = stamp;
          updated.push(v);
        }
        return send(200, { data: { productUpdate: { product: { id: gid('Product', productId), title }, userErrors: [] }, productVariantsBulkUpdate: { productVariants: updated.map(variantNode), userErrors: [] } }, ...cost });
      }
      if (query.includes('productVariant(')) {
        const v = fake.variants.find((x) => x.legacyResourceId === idOf(variables?.['id']));
        return send(200, { data: { productVariant: v ? variantNode(v) : null }, ...cost });
      }
      if (query.includes('productVariants(') && typeof variables?.['query'] === 'string') {
        const sku = /^sku:"(.*)"$/.exec(variables['query'])?.[1];
        return send(200, { data: { productVariants: { nodes: fake.variants.filter((v) => v.sku === sku).slice(0, 2).map(variantNode) } }, ...cost });
      }
      if (query.includes('productVariants(')) {
        const { nodes, pageInfo } = page(fake.variants);
        return send(200, {
          data: {
            productVariantsCount: { count: fake.variants.length, precision: 'EXACT' },
            productVariants: {
              pageInfo,
              nodes: nodes.map((v) => ({
                id: gid('ProductVariant', v.legacyResourceId), legacyResourceId: v.legacyResourceId, sku: v.sku, title: v.title,
                barcode: v.barcode, price: v.price, updatedAt: v.updatedAt,
                product: { id: gid('Product', v.product.legacyResourceId), legacyResourceId: v.product.legacyResourceId, title: v.product.title, productType: v.product.productType ?? '' },
                inventoryItem: { id: gid('InventoryItem', v.inventoryItem.legacyResourceId), legacyResourceId: v.inventoryItem.legacyResourceId, unitCost: v.inventoryItem.unitCost && { ...v.inventoryItem.unitCost, currencyCode: 'USD' } },
              })),
            },
          },
          ...cost,
        });
      }
      if (query.includes('inventoryItems(')) {
        const { nodes, pageInfo } = page(fake.variants, 100);
        return send(200, {
          data: {
            inventoryItems: {
              pageInfo,
              nodes: nodes.map((v) => ({
                id: gid('InventoryItem', v.inventoryItem.legacyResourceId), legacyResourceId: v.inventoryItem.legacyResourceId, sku: v.sku,
                unitCost: v.inventoryItem.unitCost && { ...v.inventoryItem.unitCost, currencyCode: 'USD' },
                inventoryLevels: {
                  nodes: Object.entries(fake.onHand[v.inventoryItem.legacyResourceId] ?? {}).map(([location, quantity]) => ({
                    location: { id: gid('Location', location), legacyResourceId: location },
                    quantities: [{ name: 'on_hand', quantity }, { name: 'available', quantity: Math.max(0, quantity - 1) }],
                  })),
                },
              })),
            },
          },
          ...cost,
        });
      }
      if (query.includes('locations(')) {
        const { nodes, pageInfo } = page(fake.locations);
        return send(200, { data: { locations: { pageInfo, nodes: nodes.map((l) => ({ id: gid('Location', l.legacyResourceId), ...l })) } }, ...cost });
      }
      return send(200, { errors: [{ message: 'Field is not defined', extensions: { code: 'undefinedField' } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  });
}
