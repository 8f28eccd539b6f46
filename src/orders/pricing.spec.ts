import fc from 'fast-check';
import { priceOrder, roundHalfUp } from './pricing';

const line = fc.record({
  productId: fc.uuid(),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  category: fc.constantFrom('dairy', 'produce', 'beverages', 'frozen'),
  unitPriceCents: fc.integer({ min: 1, max: 10_000_000 }),
  quantity: fc.integer({ min: 1, max: 999 }),
});
const rates = fc.record({
  dairy: fc.integer({ min: 0, max: 10_000 }),
  beverages: fc.integer({ min: 0, max: 10_000 }),
});

describe('priceOrder', () => {
  it('keeps every figure an exact integer and the totals the sums of the lines', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 100 }), rates, (lines, taxRates) => {
        const order = priceOrder(lines, taxRates);
        for (const priced of order.lines) {
          expect(Number.isSafeInteger(priced.subtotalCents)).toBe(true);
          expect(Number.isSafeInteger(priced.taxCents)).toBe(true);
          expect(priced.subtotalCents).toBe(priced.unitPriceCents * priced.quantity);
          expect(priced.totalCents).toBe(priced.subtotalCents + priced.taxCents);
        }
        expect(order.subtotalCents).toBe(order.lines.reduce((s, l) => s + l.subtotalCents, 0));
        expect(order.taxCents).toBe(order.lines.reduce((s, l) => s + l.taxCents, 0));
        expect(order.totalCents).toBe(order.subtotalCents + order.taxCents);
      }),
    );
  });

  it('rounds each line tax half-up to the cent: |tax − exact| ≤ ½ cent, and exactly ½ goes up', () => {
    fc.assert(
      fc.property(line, fc.integer({ min: 0, max: 10_000 }), (input, bps) => {
        const [priced] = priceOrder([{ ...input, category: 'dairy' }], { dairy: bps }).lines;
        // Compare in integer "ten-thousandths of a cent" to avoid floating point in the oracle too.
        const exactTimes10k = priced.subtotalCents * bps;
        const diff = priced.taxCents * 10_000 - exactTimes10k;
        expect(diff).toBeGreaterThanOrEqual(-5_000);
        expect(diff).toBeLessThan(5_000 + 1);
        if (exactTimes10k % 10_000 === 5_000) expect(diff).toBe(5_000);
      }),
    );
  });

  it('applies no tax to categories without a rate (the default table is empty)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const order = priceOrder(lines, {});
        expect(order.taxCents).toBe(0);
        expect(order.totalCents).toBe(order.subtotalCents);
      }),
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), rates, (lines, taxRates) => {
        const forward = priceOrder(lines, taxRates);
        const backward = priceOrder([...lines].reverse(), taxRates);
        expect(backward.totalCents).toBe(forward.totalCents);
        expect(backward.taxCents).toBe(forward.taxCents);
      }),
    );
  });

  it('matches hand-worked examples', () => {
    const order = priceOrder(
      [
        { productId: 'a', name: 'Milk', category: 'dairy', unitPriceCents: 129, quantity: 3 },
        { productId: 'b', name: 'Cola', category: 'beverages', unitPriceCents: 399, quantity: 1 },
      ],
      { dairy: 550, beverages: 2000 },
    );
    // 387 × 5.5 % = 21.285 → 21; 399 × 20 % = 79.8 → 80
    expect(order.lines.map((l) => [l.subtotalCents, l.taxCents, l.totalCents])).toEqual([
      [387, 21, 408],
      [399, 80, 479],
    ]);
    expect([order.subtotalCents, order.taxCents, order.totalCents]).toEqual([786, 101, 887]);
    expect(roundHalfUp(25, 10)).toBe(3);
    expect(roundHalfUp(24, 10)).toBe(2);
  });
});
