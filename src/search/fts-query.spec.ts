import { foldText, toFtsQuery, toTsQuery } from './fts-query';

describe('search query text', () => {
  it('folds case and accents for PostgreSQL, keeping only letters and digits', () => {
    expect(foldText('Crème Brûlée, 1.5 L!')).toBe('creme brulee 1 5 l');
    expect(foldText('  ')).toBe('');
  });

  it('makes a PostgreSQL tsquery that is data, never syntax: quoted prefixes, all required', () => {
    expect(toTsQuery('creme BRU')).toBe("'creme':* & 'bru':*");
    expect(toTsQuery("milk & !eggs | 'x' :*")).toBe("'milk':* & 'eggs':* & 'x':*");
    expect(toTsQuery('Crème crème')).toBe("'creme':*");
    expect(toTsQuery('&|!():*')).toBeNull();
  });

  it('keeps the same terms as the SQLite FTS5 query', () => {
    expect(toFtsQuery('milk eggs')).toBe('"milk"* "eggs"*');
    expect(toTsQuery('milk eggs')).toBe("'milk':* & 'eggs':*");
  });
});
