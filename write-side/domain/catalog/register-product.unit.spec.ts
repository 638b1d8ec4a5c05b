import { describe, it } from 'vitest';
import { BusinessRuleViolation } from '../errors';
import { given } from '../testing/spec';
import { T0, productRegistered } from '../testing/fixtures';

describe('registering a product', () => {
  it('records the sku with its catalog defaults', () => {
    given().when({ type: 'RegisterProduct', sku: 'X', name: 'Product X', unitCost: 250, now: T0 })
      .then([productRegistered('X', 250)]);
  });

  it('leaves out defaults that were not given', () => {
    given().when({ type: 'RegisterProduct', sku: 'Y', name: 'Product Y', now: T0 }).then([productRegistered('Y')]);
  });

  it('refuses a sku that is already registered', () => {
    given(productRegistered('X'))
      .when({ type: 'RegisterProduct', sku: 'X', name: 'again', now: T0 })
      .thenThrows(BusinessRuleViolation, 'sku-exists');
  });
});
