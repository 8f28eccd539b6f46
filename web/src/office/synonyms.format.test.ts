import { describe, expect, it } from 'vitest';
import { formatTerms, groupCount, parseTerms } from './synonyms.format';

describe('the words of a synonym group as typed', () => {
  it('splits on commas, spaces, semicolons and new lines', () => {
    expect(parseTerms('crisps, chips')).toEqual(['crisps', 'chips']);
    expect(parseTerms('crisps chips')).toEqual(['crisps', 'chips']);
    expect(parseTerms('aubergine;eggplant\nbrinjal')).toEqual(['aubergine', 'eggplant', 'brinjal']);
  });

  it('drops empty pieces from doubled or trailing separators', () => {
    expect(parseTerms('  crisps,, chips , ')).toEqual(['crisps', 'chips']);
    expect(parseTerms('')).toEqual([]);
    expect(parseTerms(' , ')).toEqual([]);
  });

  it('keeps case, accents, punctuation and repeats for the store to judge', () => {
    expect(parseTerms('Crème, e-mail, chips, chips')).toEqual([
      'Crème',
      'e-mail',
      'chips',
      'chips',
    ]);
  });

  it('reads back what it wrote', () => {
    const terms = ['courgette', 'zucchini'];
    expect(formatTerms(terms)).toBe('courgette, zucchini');
    expect(parseTerms(formatTerms(terms))).toEqual(terms);
  });
});

describe('group counts', () => {
  it('agree in number', () => {
    expect(groupCount(0)).toBe('0 groups');
    expect(groupCount(1)).toBe('1 group');
    expect(groupCount(12)).toBe('12 groups');
  });
});
