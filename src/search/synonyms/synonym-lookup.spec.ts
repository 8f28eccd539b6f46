import { SynonymGroup, SynonymLookup, sortGroups } from './synonym-lookup';

const group = (id: string, ...terms: string[]): SynonymGroup => ({
  id,
  terms,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('SynonymLookup', () => {
  const lookup = new SynonymLookup([
    group('a', 'crisps', 'chips'),
    group('b', 'aubergine', 'eggplant', 'brinjal'),
  ]);

  it('gives the other words of the group of a word, in the group’s order', () => {
    expect(lookup.expand('chips')).toEqual(['crisps']);
    expect(lookup.expand('crisps')).toEqual(['chips']);
    expect(lookup.expand('eggplant')).toEqual(['aubergine', 'brinjal']);
  });

  it('gives nothing for a word in no group, nor for one that is not folded', () => {
    expect(lookup.expand('milk')).toEqual([]);
    expect(lookup.expand('Chips')).toEqual([]);
    expect(lookup.expand('')).toEqual([]);
  });

  it('answers arrays nobody can change', () => {
    expect(Object.isFrozen(lookup.expand('chips'))).toBe(true);
    expect(Object.isFrozen(lookup.expand('milk'))).toBe(true);
  });

  it('merges the groups of a word found in two', () => {
    const merged = new SynonymLookup([group('a', 'chips', 'crisps'), group('b', 'chips', 'fries')]);
    expect(merged.expand('chips')).toEqual(['crisps', 'fries']);
    expect(merged.expand('fries')).toEqual(['chips']);
  });
});

describe('sortGroups', () => {
  it('orders by first word, then id, without changing its argument', () => {
    const groups = [
      group('2', 'zucchini', 'courgette'),
      group('3', 'crisps'),
      group('1', 'crisps'),
    ];
    expect(sortGroups(groups).map((g) => g.id)).toEqual(['1', '3', '2']);
    expect(groups.map((g) => g.id)).toEqual(['2', '3', '1']);
  });
});
