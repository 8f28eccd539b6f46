/** The shop's currency and how its prices are written. */
const LOCALE = 'en-GB';
const CURRENCY = 'GBP';

const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY });

/** Integer cents (the API's unit) as a price: 129 → "£1.29". */
export function formatPrice(cents: number): string {
  if (!Number.isInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  // Integer division keeps every cent exact; the formatter only lays the digits out.
  return money.format(cents / 100);
}

/** A tax rate in basis points: 550 → "5.5 %". */
export function formatTaxRate(bps: number): string {
  return `${(bps / 100).toLocaleString(LOCALE, { maximumFractionDigits: 2 })} %`;
}

/**
 * A price typed by a person into cents, exactly: "2.49" → 249, "2.5" → 250, "£3" → 300.
 * Undefined for anything that is not a plain amount with at most two decimals.
 */
export function parsePrice(text: string): number | undefined {
  const match = /^£?\s*(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, units = '0', decimals = ''] = match;
  return Number(units) * 100 + Number(decimals.padEnd(2, '0'));
}

/** Cents as the plain amount a price field shows for editing: 250 → "2.50". */
export function priceInputValue(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
