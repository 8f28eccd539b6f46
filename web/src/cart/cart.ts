/** One product in the cart, with the price the shopper saw; the store prices the order itself. */
export interface CartLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

/** The most of one product an order line may ask for (the store refuses more). */
export const MAX_QUANTITY = 999;
/** The most lines one order may have. */
export const MAX_LINES = 100;

export type CartAction =
  | { type: 'add'; product: Omit<CartLine, 'quantity'>; quantity: number }
  | { type: 'set-quantity'; productId: string; quantity: number }
  | { type: 'remove'; productId: string }
  | { type: 'clear' }
  | { type: 'replace'; lines: CartLine[] };

const clampQuantity = (quantity: number): number =>
  Math.min(MAX_QUANTITY, Math.max(0, Math.floor(Number.isFinite(quantity) ? quantity : 0)));

/** The cart after an action. Quantities stay whole and within 1–999; 0 removes the line. */
export function cartReducer(lines: CartLine[], action: CartAction): CartLine[] {
  switch (action.type) {
    case 'add': {
      const existing = lines.find((line) => line.productId === action.product.productId);
      if (existing) {
        return lines.map((line) =>
          line === existing
            ? {
                ...line,
                ...action.product,
                quantity: clampQuantity(line.quantity + action.quantity),
              }
            : line,
        );
      }
      const quantity = clampQuantity(action.quantity);
      if (quantity === 0 || lines.length >= MAX_LINES) return lines;
      return [...lines, { ...action.product, quantity }];
    }
    case 'set-quantity': {
      const quantity = clampQuantity(action.quantity);
      if (quantity === 0) return lines.filter((line) => line.productId !== action.productId);
      return lines.map((line) =>
        line.productId === action.productId ? { ...line, quantity } : line,
      );
    }
    case 'remove':
      return lines.filter((line) => line.productId !== action.productId);
    case 'clear':
      return [];
    case 'replace':
      return action.lines;
  }
}

export function lineTotalCents(line: CartLine): number {
  return line.unitPriceCents * line.quantity;
}

export function cartTotals(lines: CartLine[]): { itemCount: number; subtotalCents: number } {
  return lines.reduce(
    (totals, line) => ({
      itemCount: totals.itemCount + line.quantity,
      subtotalCents: totals.subtotalCents + lineTotalCents(line),
    }),
    { itemCount: 0, subtotalCents: 0 },
  );
}

/** What the order API takes: products and quantities only, never prices. */
export function orderItems(lines: CartLine[]): Array<{ productId: string; quantity: number }> {
  return lines.map(({ productId, quantity }) => ({ productId, quantity }));
}

/**
 * The cart as saved by an earlier visit. Storage can hold anything (an older version, another
 * tab's half-written value, a hand edit): only well-formed lines are kept.
 */
export function parseStoredCart(text: string | null): CartLine[] {
  if (!text) return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const lines: CartLine[] = [];
  for (const item of data as Array<Partial<CartLine>>) {
    if (
      typeof item?.productId === 'string' &&
      item.productId.length > 0 &&
      typeof item.name === 'string' &&
      Number.isInteger(item.unitPriceCents) &&
      (item.unitPriceCents as number) >= 0 &&
      Number.isInteger(item.quantity) &&
      (item.quantity as number) >= 1 &&
      (item.quantity as number) <= MAX_QUANTITY &&
      !lines.some((line) => line.productId === item.productId)
    ) {
      lines.push({
        productId: item.productId,
        name: item.name,
        unitPriceCents: item.unitPriceCents as number,
        quantity: item.quantity as number,
      });
    }
  }
  return lines.slice(0, MAX_LINES);
}
