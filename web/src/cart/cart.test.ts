import { describe, expect, it } from 'vitest';
import {
  MAX_LINES,
  MAX_QUANTITY,
  cartReducer,
  cartTotals,
  lineTotalCents,
  orderItems,
  parseStoredCart,
  type CartLine,
} from './cart';
import { cartSignature, keyForCart, newIdempotencyKey } from './checkout-key';

const milk = { productId: 'p-milk', name: 'Whole milk 1 l', unitPriceCents: 129 };
const bread = { productId: 'p-bread', name: 'Sourdough loaf', unitPriceCents: 399 };

const add = (lines: CartLine[], product: typeof milk, quantity: number) =>
  cartReducer(lines, { type: 'add', product, quantity });

describe('cart', () => {
  it('adds a product as a line, and adding it again raises the quantity of that line', () => {
    let lines = add([], milk, 2);
    lines = add(lines, bread, 1);
    lines = add(lines, milk, 3);
    expect(lines).toEqual([
      { ...milk, quantity: 5 },
      { ...bread, quantity: 1 },
    ]);
  });

  it('keeps the latest name and price seen when a product is added again', () => {
    const lines = add(add([], milk, 1), { ...milk, unitPriceCents: 139 }, 1);
    expect(lines).toEqual([{ ...milk, unitPriceCents: 139, quantity: 2 }]);
  });

  it('keeps quantities whole and within 1–999, the range an order line accepts', () => {
    expect(add([], milk, 2.7)[0]?.quantity).toBe(2);
    expect(add([], milk, 5000)[0]?.quantity).toBe(MAX_QUANTITY);
    expect(add(add([], milk, 998), milk, 5)[0]?.quantity).toBe(MAX_QUANTITY);
    expect(add([], milk, 0)).toEqual([]);
    expect(add([], milk, -3)).toEqual([]);
    expect(add([], milk, Number.NaN)).toEqual([]);
  });

  it('sets a quantity, and a quantity of 0 (or less) removes the line', () => {
    const lines = add(add([], milk, 1), bread, 1);
    expect(cartReducer(lines, { type: 'set-quantity', productId: 'p-milk', quantity: 4 })).toEqual([
      { ...milk, quantity: 4 },
      { ...bread, quantity: 1 },
    ]);
    expect(cartReducer(lines, { type: 'set-quantity', productId: 'p-milk', quantity: 0 })).toEqual([
      { ...bread, quantity: 1 },
    ]);
    expect(
      cartReducer(lines, { type: 'set-quantity', productId: 'p-bread', quantity: -1 }),
    ).toEqual([{ ...milk, quantity: 1 }]);
  });

  it('removes a line and clears the cart', () => {
    const lines = add(add([], milk, 1), bread, 1);
    expect(cartReducer(lines, { type: 'remove', productId: 'p-bread' })).toEqual([
      { ...milk, quantity: 1 },
    ]);
    expect(cartReducer(lines, { type: 'clear' })).toEqual([]);
  });

  it('holds at most as many lines as one order takes', () => {
    let lines: CartLine[] = [];
    for (let i = 0; i < MAX_LINES + 5; i++)
      lines = add(lines, { productId: `p-${i}`, name: `Product ${i}`, unitPriceCents: 100 }, 1);
    expect(lines).toHaveLength(MAX_LINES);
  });

  it('totals lines in whole cents: line totals, item count and subtotal', () => {
    const lines = add(add([], milk, 3), bread, 2);
    expect(lines.map(lineTotalCents)).toEqual([387, 798]);
    expect(cartTotals(lines)).toEqual({ itemCount: 5, subtotalCents: 1185 });
    expect(cartTotals([])).toEqual({ itemCount: 0, subtotalCents: 0 });
  });

  it('sends the store products and quantities only, never prices', () => {
    expect(orderItems(add(add([], milk, 3), bread, 2))).toEqual([
      { productId: 'p-milk', quantity: 3 },
      { productId: 'p-bread', quantity: 2 },
    ]);
  });

  it('reads back a saved cart, dropping whatever is malformed', () => {
    const saved = JSON.stringify([
      { ...milk, quantity: 2 },
      { ...bread, quantity: 0 },
      { ...bread, quantity: 1.5 },
      { productId: 'p-x', name: 'No price', quantity: 1 },
      { ...milk, quantity: 4 },
      null,
      'text',
      { ...bread, quantity: 1, unitPriceCents: -5 },
    ]);
    expect(parseStoredCart(saved)).toEqual([{ ...milk, quantity: 2 }]);
    expect(parseStoredCart(null)).toEqual([]);
    expect(parseStoredCart('{not json')).toEqual([]);
    expect(parseStoredCart('{"productId":"p"}')).toEqual([]);
  });
});

describe('checkout idempotency key', () => {
  const lines = add(add([], milk, 3), bread, 2);

  it('stays the same for the same cart, whatever the order of its lines', () => {
    const first = keyForCart(lines, undefined, () => 'k1');
    expect(first.key).toBe('k1');
    expect(keyForCart([...lines].reverse(), first, () => 'k2')).toBe(first);
  });

  it('changes when the cart changes: another order', () => {
    const first = keyForCart(lines, undefined, () => 'k1');
    const changed = cartReducer(lines, { type: 'set-quantity', productId: 'p-milk', quantity: 4 });
    expect(keyForCart(changed, first, () => 'k2')).toEqual({
      key: 'k2',
      cart: cartSignature(changed),
    });
  });

  it('is what the store accepts as an Idempotency-Key, and new every time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
