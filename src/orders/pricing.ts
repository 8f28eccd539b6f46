/** A line as priced: authoritative product facts times the quantity asked for. */
export interface PricedLine {
  productId: string;
  name: string;
  category: string;
  unitPriceCents: number;
  quantity: number;
  /** Tax rate in basis points (1/100 of a percent): 2000 = 20 %. */
  taxRateBps: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

export interface LineInput {
  productId: string;
  name: string;
  category: string;
  unitPriceCents: number;
  quantity: number;
}

/**
 * Integer-cent arithmetic, no floating point anywhere: line subtotal = unit price × quantity;
 * line tax = subtotal × rate, rounded half-up to the cent, per line; totals are sums.
 */
export function priceOrder(
  lines: readonly LineInput[],
  taxRatesBps: Readonly<Record<string, number>>,
): PricedOrder {
  const priced = lines.map((line): PricedLine => {
    const taxRateBps = taxRatesBps[line.category] ?? 0;
    const subtotalCents = line.unitPriceCents * line.quantity;
    const taxCents = roundHalfUp(subtotalCents * taxRateBps, 10_000);
    return { ...line, taxRateBps, subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
  });
  const subtotalCents = sum(priced.map((l) => l.subtotalCents));
  const taxCents = sum(priced.map((l) => l.taxCents));
  return { lines: priced, subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
}

/** numerator / denominator rounded half-up, for non-negative integers. */
export function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
