import { parseTaxRates } from './tax-rates';

describe('parseTaxRates', () => {
  it('reads percent per category into basis points', () => {
    expect(parseTaxRates('beverages=20, dairy=5.5,soft-drinks=0.25')).toEqual({
      beverages: 2000,
      dairy: 550,
      'soft-drinks': 25,
    });
    expect(parseTaxRates(undefined)).toEqual({});
  });

  it.each(['dairy', 'Dairy=5', 'dairy=-1', 'dairy=5.555', 'dairy=101'])('refuses %p', (text) => {
    expect(() => parseTaxRates(text)).toThrow();
  });
});
