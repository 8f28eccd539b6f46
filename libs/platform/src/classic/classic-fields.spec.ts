import { centsToClassicText, classicCategory, classicPriceToCents } from './classic-fields';
import { parseForm } from './classic-http';

describe('classic fields', () => {
  it.each([
    ['3.99', 399],
    ['4', 400],
    ['0.5', 50],
    [' 12.30 ', 1230],
  ])('reads the price %p as %p cents', (text, cents) => {
    expect(classicPriceToCents(text)).toBe(cents);
  });

  it.each(['', 'abc', '-1', '1.999', '1,5', undefined])('refuses the price %p', (text) => {
    expect(classicPriceToCents(text)).toBeNull();
  });

  it('writes costs with two decimals', () => {
    expect(centsToClassicText(1800)).toBe('18.00');
    expect(centsToClassicText(5)).toBe('0.05');
    expect(centsToClassicText(123456)).toBe('1234.56');
  });

  it('maps categories to the catalogue slug', () => {
    expect(classicCategory('Fresh Fruit')).toBe('fresh-fruit');
    expect(classicCategory('dairy')).toBe('dairy');
    expect(classicCategory('  Soft_Drinks! ')).toBe('soft-drinks');
  });

  it('parses form bodies and query strings', () => {
    expect(parseForm('name=oat+milk&price=3.99&x=%26&name=second')).toEqual({
      name: 'oat milk',
      price: '3.99',
      x: '&',
    });
  });
});
