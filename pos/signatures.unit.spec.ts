import { describe, expect, it } from 'vitest';
import { sign, verifyGeneric, verifyShopify, verifySquare } from './signatures';

const body = Buffer.from('{"id":820982911946154508,"note":"caf\u00e9"}', 'utf8');

describe('webhook signatures', () => {
  it('Shopify: base64 HMAC of the raw bytes; one changed byte or another secret fails', () => {
    const header = sign.shopify('s3cret', body);
    expect(verifyShopify('s3cret', body, header)).toBe(true);
    expect(verifyShopify('other', body, header)).toBe(false);
    expect(verifyShopify('s3cret', Buffer.from(body.toString().replace('508', '509')), header)).toBe(false);
    expect(verifyShopify('s3cret', body, undefined)).toBe(false);
    expect(verifyShopify('s3cret', body, 'not base64!')).toBe(false);
  });

  it('Square: the notification URL is part of the signed text', () => {
    const header = sign.square('key', 'https://a.example/hook', body);
    expect(verifySquare('key', 'https://a.example/hook', body, header)).toBe(true);
    expect(verifySquare('key', 'https://b.example/hook', body, header)).toBe(false);
  });

  it('generic: sha256=<hex>, nothing else', () => {
    const header = sign.generic('k', body);
    expect(verifyGeneric('k', body, header)).toBe(true);
    expect(verifyGeneric('k', body, header.replace('sha256=', ''))).toBe(false);
    expect(verifyGeneric('k', body, header.toUpperCase())).toBe(false);
  });
});
