import { foldTerm, groupProblems, termProblem, termsProblems } from './synonym-terms';

describe('synonym terms', () => {
  it('fold as the search folds text: lower case, accents removed, surrounding space dropped', () => {
    expect(foldTerm('Aubergine')).toBe('aubergine');
    expect(foldTerm('  Crème ')).toBe('creme');
    expect(foldTerm('JALAPEÑO')).toBe('jalapeno');
    expect(foldTerm('7up')).toBe('7up');
  });

  it('are one word of letters or digits, up to 40 characters once folded', () => {
    for (const good of ['chips', 'Crisps', 'crème', 'ß', 'курица', 'a', '42', 'x'.repeat(40)])
      expect({ good, problem: termProblem(good) }).toEqual({ good, problem: undefined });
    expect(termProblem('sea salt')).toBe(
      'terms must each be one word of letters or digits, not "sea salt"',
    );
    expect(termProblem('e-mail')).toMatch(/one word of letters or digits, not "e-mail"/);
    expect(termProblem('chips!')).toMatch(/not "chips!"/);
    expect(termProblem('   ')).toBe('terms may not be empty');
    expect(termProblem('\u0301')).toMatch(/one word/);
    expect(termProblem('x'.repeat(41))).toMatch(/at most 40 characters long/);
  });

  it('shorten a long term in the message', () => {
    expect(termProblem(`${'y'.repeat(60)} z`)).toContain(`"${'y'.repeat(50)}…"`);
  });

  it('name every word a group gives twice once folded', () => {
    expect(termsProblems(['Chips', 'crisps', 'chips'])).toEqual([
      'terms must not name the same word twice: "chips"',
    ]);
    expect(termsProblems(['crème', 'Creme'])).toEqual([
      'terms must not name the same word twice: "creme"',
    ]);
    expect(termsProblems(['crisps', 'chips'])).toEqual([]);
  });

  it('count two to twenty words in a group', () => {
    expect(groupProblems(['crisps'])).toEqual(['terms must name at least 2 words']);
    expect(groupProblems([])).toEqual(['terms must name at least 2 words']);
    const many = Array.from({ length: 21 }, (_, i) => `word${i}`);
    expect(groupProblems(many)).toEqual(['terms must name at most 20 words']);
    expect(groupProblems(many.slice(0, 20))).toEqual([]);
    expect(groupProblems(['crisps', 'sea salt'])).toEqual([
      'terms must each be one word of letters or digits, not "sea salt"',
    ]);
  });
});
