import { describe, it } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import { BusinessRuleViolation, NotFound } from '../../write-side/domain/errors';
import { decideBarcodes, evolveBarcodeRegistry, initialBarcodeRegistry } from './barcode-registry';
import { decideLinks, decidePushConflict, decideResolveConflict, decideUnlinkProduct, evolvePosLinks, initialPosLinks, type LinkPosItem, type RaisePushConflict } from './pos-links';
import { decideProductDetails, evolveProductDetails, initialProductDetails, POS_WINS, type SyncProductDetails } from './product-details';
import { specFor } from './testing';

const T = '2024-06-02T12:00:00.000Z';
const at = { occurredAt: T, recordedAt: T };
const product = specFor(initialProductDetails, evolveProductDetails);
const barcodes = specFor(initialBarcodeRegistry, evolveBarcodeRegistry);
const links = specFor(initialPosLinks, evolvePosLinks);

const registered = (sku: string, name: string): DomainEvent => ({ type: 'ProductRegistered', data: { sku, name, ...at } });
const sync = (o: Partial<SyncProductDetails> = {}): SyncProductDetails => ({
  type: 'SyncProductDetails', sku: 'S1', name: 'Shirt', origin: 'pos', policy: POS_WINS, occurredAt: T, now: T, ...o,
});
const linkCmd = (o: Partial<LinkPosItem> = {}): LinkPosItem => ({
  type: 'LinkPosItem', connectionId: 'shop', posItemId: 'V1', sku: 'S1', aliases: ['I1'], title: 'Shirt', onHandOfLinkedSku: 0, now: T, ...o,
});
const linked = (posItemId: string, sku: string, extra: Record<string, unknown> = {}): DomainEvent => ({
  type: 'PosItemLinked', data: { connectionId: 'shop', posItemId, sku, aliases: ['I1'], title: 'Shirt', ...extra, ...at },
});

describe('product details from the POS', () => {
  it('registers a product the catalog does not have, with its price', () => {
    product().when((s) => decideProductDetails(sync({ price: 1999 }), s)).then([
      registered('S1', 'Shirt'), { type: 'ProductPriceChanged', data: { sku: 'S1', price: 1999, ...at } },
    ]);
  });

  it('renames when the POS name differs and the POS wins names', () => {
    product(registered('S1', 'Old')).when((s) => decideProductDetails(sync(), s))
      .then([{ type: 'ProductRenamed', data: { sku: 'S1', name: 'Shirt', previousName: 'Old', ...at } }]);
  });

  it('keeps our name when the connection says Stocktide wins names', () => {
    product(registered('S1', 'Old')).when((s) => decideProductDetails(sync({ policy: { names: 'stocktide', prices: 'pos' } }), s)).then([]);
  });

  it('decides nothing for unchanged details (a re-import is silent)', () => {
    product(registered('S1', 'Shirt'), { type: 'ProductPriceChanged', data: { sku: 'S1', price: 1999, ...at } })
      .when((s) => decideProductDetails(sync({ price: 1999 }), s)).then([]);
  });

  it('refuses a person editing a product that does not exist', () => {
    product().when((s) => decideProductDetails(sync({ origin: 'api' }), s)).thenThrows(NotFound, 'unknown-sku');
  });
});

describe('barcode registry', () => {
  const set = (sku: string, codes: string[]) => ({ type: 'SetBarcodes' as const, sku, barcodes: codes, now: T });
  const changed = (sku: string, codes: string[], previous: string[] = []): DomainEvent => ({ type: 'ProductBarcodesChanged', data: { sku, barcodes: codes, previous, ...at } });

  it('assigns free barcodes', () => {
    barcodes().when((s) => decideBarcodes([set('S1', ['0036000291452'])], s, true).events).then([changed('S1', ['0036000291452'])]);
  });

  it('refuses a barcode another product owns (409)', () => {
    barcodes(changed('S1', ['0036000291452'])).when((s) => decideBarcodes([set('S2', ['0036000291452'])], s, true).events)
      .thenThrows(BusinessRuleViolation, 'barcode-taken');
  });

  it('in a batch, leaves a taken barcode out and still assigns the rest', () => {
    barcodes(changed('S1', ['0036000291452'])).when((s) => decideBarcodes([set('S2', ['0036000291452', '4006381333931'])], s, false).events)
      .then([changed('S2', ['4006381333931'])]);
  });

  it('sees the earlier assignments of the same batch', () => {
    barcodes().when((s) => decideBarcodes([set('S1', ['4006381333931']), set('S2', ['4006381333931'])], s, false).events)
      .then([changed('S1', ['4006381333931'])]);
  });

  it('frees a product\'s old barcodes when it gets new ones', () => {
    barcodes(changed('S1', ['0036000291452'])).when((s) => decideBarcodes([set('S1', ['4006381333931']), set('S2', ['0036000291452'])], s, true).events)
      .then([changed('S1', ['4006381333931'], ['0036000291452']), changed('S2', ['0036000291452'])]);
  });
});

describe('POS item links and conflicts', () => {
  it('links a new POS item to its SKU', () => {
    links().when((s) => decideLinks([linkCmd()], s)).then([linked('V1', 'S1')]);
  });

  it('decides nothing for a link that is already there', () => {
    links(linked('V1', 'S1')).when((s) => decideLinks([linkCmd()], s)).then([]);
  });

  it('raises a sku-clash when another POS item already is that SKU, and only once', () => {
    const raised: DomainEvent = {
      type: 'CatalogConflictRaised',
      data: {
        connectionId: 'shop', conflictId: 'sku-clash:V2:S1', conflict: 'sku-clash', sku: 'S1', posItemId: 'V2',
        ours: { sku: 'S1', posItemId: 'V1', title: 'Shirt' }, theirs: { sku: 'S1', posItemId: 'V2', title: 'Copy' }, aliases: ['I2'], ...at,
      },
    };
    links(linked('V1', 'S1')).when((s) => decideLinks([linkCmd({ posItemId: 'V2', aliases: ['I2'], title: 'Copy' })], s)).then([raised]);
    links(linked('V1', 'S1'), raised).when((s) => decideLinks([linkCmd({ posItemId: 'V2', aliases: ['I2'], title: 'Copy' })], s)).then([]);
  });

  it('relinks an item whose SKU changed in the POS when we hold no stock under the old one', () => {
    links(linked('V1', 'S1')).when((s) => decideLinks([linkCmd({ sku: 'S9' })], s)).then([
      { type: 'PosItemUnlinked', data: { connectionId: 'shop', posItemId: 'V1', sku: 'S1', reason: 'SKU changed in the POS to S9', ...at } },
      linked('V1', 'S9'),
    ]);
  });

  it('raises sku-changed-with-stock when we hold stock under the old SKU', () => {
    links(linked('V1', 'S1')).when((s) => decideLinks([linkCmd({ sku: 'S9', onHandOfLinkedSku: 5 })], s)).then([{
      type: 'CatalogConflictRaised',
      data: {
        connectionId: 'shop', conflictId: 'sku-changed-with-stock:V1:S9', conflict: 'sku-changed-with-stock', sku: 'S9', posItemId: 'V1',
        ours: { sku: 'S1', posItemId: 'V1', onHand: 5, title: 'Shirt' }, theirs: { sku: 'S9', posItemId: 'V1', title: 'Shirt' }, aliases: ['I1'], ...at,
      },
    }]);
  });

  it('ignores an older version of an item that arrives after a newer one', () => {
    links(linked('V1', 'S1', { posUpdatedAt: '2024-06-02T10:00:00.000Z' }))
      .when((s) => decideLinks([linkCmd({ sku: 'S9', posUpdatedAt: '2024-06-01T10:00:00.000Z' })], s)).then([]);
  });

  it('unlinks the items of a product deleted in the POS, or raises deleted-with-stock', () => {
    links(linked('V1', 'S1', { posProductId: 'P1' }), linked('V2', 'S2', { posProductId: 'P1' }))
      .when((s) => decideUnlinkProduct({ type: 'UnlinkPosProduct', connectionId: 'shop', posProductId: 'P1', onHand: { S1: 3 }, now: T }, s))
      .then([
        {
          type: 'CatalogConflictRaised',
          data: {
            connectionId: 'shop', conflictId: 'deleted-with-stock:V1:S1', conflict: 'deleted-with-stock', sku: 'S1', posItemId: 'V1',
            ours: { sku: 'S1', posItemId: 'V1', onHand: 3, title: 'Shirt' }, theirs: { posItemId: 'V1', title: 'deleted in the POS' }, aliases: ['I1'], ...at,
          },
        },
        { type: 'PosItemUnlinked', data: { connectionId: 'shop', posItemId: 'V2', sku: 'S2', reason: 'deleted in the POS', ...at } },
      ]);
  });

  it('resolves a clash by merging (both POS items are the SKU) and refuses a second resolution', () => {
    const clash = decideLinks([linkCmd({ posItemId: 'V2', aliases: ['I2'], title: 'Copy' })], evolvePosLinks(initialPosLinks(), linked('V1', 'S1')));
    const resolve = (resolution: 'merge' | 'keep') => (s: ReturnType<typeof initialPosLinks>) =>
      decideResolveConflict({ type: 'ResolveConflict', connectionId: 'shop', conflictId: 'sku-clash:V2:S1', resolution, now: T }, s);
    links(linked('V1', 'S1'), ...clash).when(resolve('merge')).then([
      { type: 'CatalogConflictResolved', data: { connectionId: 'shop', conflictId: 'sku-clash:V2:S1', resolution: 'merge', ...at } },
      { type: 'PosItemLinked', data: { connectionId: 'shop', posItemId: 'V2', sku: 'S1', aliases: ['I2'], title: 'Copy', ...at } },
    ]);
    links(linked('V1', 'S1'), ...clash, ...decideResolveConflict({ type: 'ResolveConflict', connectionId: 'shop', conflictId: 'sku-clash:V2:S1', resolution: 'keep', now: T },
      [linked('V1', 'S1'), ...clash].reduce(evolvePosLinks, initialPosLinks())))
      .when(resolve('merge')).thenThrows(BusinessRuleViolation, 'conflict-resolved');
  });

  it('refuses a resolution that does not fit the conflict', () => {
    const clash = decideLinks([linkCmd({ posItemId: 'V2' })], evolvePosLinks(initialPosLinks(), linked('V1', 'S1')));
    links(linked('V1', 'S1'), ...clash)
      .when((s) => decideResolveConflict({ type: 'ResolveConflict', connectionId: 'shop', conflictId: 'sku-clash:V2:S1', resolution: 'discontinue', now: T }, s))
      .thenThrows(BusinessRuleViolation, 'resolution-not-applicable');
  });
});

describe('links keep what Stocktide last saw of the POS item (product push compares with it)', () => {
  it('links again when the POS has a newer version or a price we did not know, and not for the same version', () => {
    const seen = linked('V1', 'S1', { posUpdatedAt: '2024-06-01T00:00:00.000Z', price: 1000 });
    links(seen).when((s) => decideLinks([linkCmd({ posUpdatedAt: '2024-06-01T00:00:00.000Z', price: 1000 })], s)).then([]);
    links(seen).when((s) => decideLinks([linkCmd({ posUpdatedAt: '2024-06-03T00:00:00.000Z', price: 1200 })], s))
      .then([linked('V1', 'S1', { posUpdatedAt: '2024-06-03T00:00:00.000Z', price: 1200 })]);
  });
});

describe('changed-in-pos conflicts (a product push met a change made in the POS)', () => {
  const raise = (posUpdatedAt = '2024-06-03T00:00:00.000Z'): RaisePushConflict => ({
    type: 'RaisePushConflict', connectionId: 'shop', posItemId: 'V1', sku: 'S1',
    ours: { title: 'Shirt', price: 2500 }, theirs: { sku: 'S1', title: 'Shirt (POS)', price: 9900, posUpdatedAt }, now: T,
  });
  const raised = (posUpdatedAt = '2024-06-03T00:00:00.000Z'): DomainEvent => ({
    type: 'CatalogConflictRaised',
    data: {
      connectionId: 'shop', conflictId: `changed-in-pos:V1:S1:${posUpdatedAt}`, conflict: 'changed-in-pos', sku: 'S1', posItemId: 'V1',
      ours: { sku: 'S1', posItemId: 'V1', title: 'Shirt', price: 2500 }, theirs: { sku: 'S1', posItemId: 'V1', title: 'Shirt (POS)', price: 9900, posUpdatedAt },
      aliases: ['I1'], ...at,
    },
  });
  const resolve = (resolution: 'keep' | 'push' | 'merge') => ({ type: 'ResolveConflict' as const, connectionId: 'shop', conflictId: 'changed-in-pos:V1:S1:2024-06-03T00:00:00.000Z', resolution, now: T });
  const resolved = (resolution: string): DomainEvent => ({ type: 'CatalogConflictResolved', data: { connectionId: 'shop', conflictId: 'changed-in-pos:V1:S1:2024-06-03T00:00:00.000Z', resolution, ...at } });

  it('raises one alert with both sides per POS version: a retry raises nothing, a later POS change raises a new one', () => {
    links(linked('V1', 'S1')).when((s) => decidePushConflict(raise(), s)).then([raised()]);
    links(linked('V1', 'S1'), raised()).when((s) => decidePushConflict(raise(), s)).then([]);
    links(linked('V1', 'S1'), raised(), resolved('push')).when((s) => decidePushConflict(raise(), s)).then([]);
    links(linked('V1', 'S1'), raised()).when((s) => decidePushConflict(raise('2024-06-04T00:00:00.000Z'), s)).then([raised('2024-06-04T00:00:00.000Z')]);
  });

  it('is resolved by keep or push, nothing else; push does not resolve other conflicts', () => {
    links(linked('V1', 'S1'), raised()).when((s) => decideResolveConflict(resolve('keep'), s)).then([resolved('keep')]);
    links(linked('V1', 'S1'), raised()).when((s) => decideResolveConflict(resolve('push'), s)).then([resolved('push')]);
    links(linked('V1', 'S1'), raised()).when((s) => decideResolveConflict(resolve('merge'), s)).thenThrows(BusinessRuleViolation, 'resolution-not-applicable');
  });
});
