import { isCategorySlug } from '@mfm/platform/validation/category-slug';

/** Parses TAX_RATES ("beverages=20,dairy=5.5", percent per category) into basis points. */
export function parseTaxRates(text: string | undefined): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\d{1,3}(?:\.\d{1,2})?)$/.exec(entry);
    if (!match || !isCategorySlug(match[1]))
      throw new Error(`"${entry}" is not category=percent (e.g. beverages=20 or dairy=5.5)`);
    const bps = Math.round(Number(match[2]) * 100);
    if (bps > 10_000) throw new Error(`"${entry}": a tax rate above 100 %`);
    rates[match[1]] = bps;
  }
  return rates;
}
