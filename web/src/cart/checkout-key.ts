import { orderItems, type CartLine } from './cart';

/** The Idempotency-Key of one checkout, and the cart it was made for. */
export interface CheckoutKey {
  key: string;
  cart: string;
}

/** A new random key (crypto.getRandomValues works on plain-HTTP hosts too, randomUUID does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `checkout-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** What the order would contain: the same text for the same products and quantities. */
export function cartSignature(lines: CartLine[]): string {
  return JSON.stringify(orderItems(lines).sort((a, b) => (a.productId < b.productId ? -1 : 1)));
}

/**
 * The key to send for this cart. The same cart keeps its key, so a double click, a retry after a
 * lost answer or a reload never places a second order (the store replays the first answer); a
 * changed cart is another order and gets a new key.
 */
export function keyForCart(
  lines: CartLine[],
  previous: CheckoutKey | undefined,
  makeKey: () => string = newIdempotencyKey,
): CheckoutKey {
  const cart = cartSignature(lines);
  return previous?.cart === cart ? previous : { key: makeKey(), cart };
}
