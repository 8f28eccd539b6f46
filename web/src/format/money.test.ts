import { describe, expect, it } from 'vitest';
import { formatPrice, formatTaxRate, parsePrice, priceInputValue } from './money.format';

describe('price formatting', () => {
  it('writes integer cents as pounds and pence', () => {
    expect(formatPrice(129)).toBe('£1.29');
    expect(formatPrice(5)).toBe('£0.05');
    expect(formatPrice(0)).toBe('£0.00');
    expect(formatPrice(250)).toBe('£2.50');
    expect(formatPrice(123_456)).toBe('£1,234.56');
    expect(formatPrice(10_000_000)).toBe('£100,000.00');
  });

  it('is exact for every amount a line can reach (no binary rounding drift)', () => {
    for (const cents of [1, 7, 10, 99, 101, 1005, 2999, 4_999_999, 9_999_999]) {
      const digits = formatPrice(cents).replace(/[£,]/g, '');
      expect(Math.round(Number(digits) * 100)).toBe(cents);
      expect(digits).toMatch(/^\d+\.\d\d$/);
    }
  });

  it('refuses a fraction of a cent instead of rounding it away', () => {
    expect(() => formatPrice(12.5)).toThrow(RangeError);
  });

  it('writes tax rates from basis points', () => {
    expect(formatTaxRate(550)).toBe('5.5 %');
    expect(formatTaxRate(2000)).toBe('20 %');
    expect(formatTaxRate(0)).toBe('0 %');
  });
});

describe('price input', () => {
  it('reads what a person types into exact cents', () => {
    expect(parsePrice('2.49')).toBe(249);
    expect(parsePrice('2.5')).toBe(250);
    expect(parsePrice('2')).toBe(200);
    expect(parsePrice('0.1')).toBe(10);
    expect(parsePrice(' 3.10 ')).toBe(310);
    expect(parsePrice('£4.99')).toBe(499);
    expect(parsePrice('4,99')).toBe(499);
    expect(parsePrice('0.29')).toBe(29);
  });

  it('refuses anything but a plain amount with at most two decimals', () => {
    for (const text of ['', 'abc', '1.999', '-1', '1e3', '1.2.3', '12345678', '.5'])
      expect({ text, cents: parsePrice(text) }).toEqual({ text, cents: undefined });
  });

  it('shows cents back as an editable amount that reads back the same', () => {
    for (const cents of [0, 5, 29, 250, 129, 10_000_000]) {
      expect(parsePrice(priceInputValue(cents))).toBe(cents);
    }
    expect(priceInputValue(250)).toBe('2.50');
  });
});
