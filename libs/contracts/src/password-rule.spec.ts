import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from './password-rule';

const owner = { firstName: 'Priya', lastName: 'Natarajan', username: 'pnat_42' };

describe('passwordProblems', () => {
  it('accepts a password that keeps every rule', () => {
    expect(passwordProblems('Crisp-Apples-7', owner)).toEqual([]);
  });

  it.each([
    ['is shorter than 8 characters', 'Ab1cdef', 'must be at least 8 characters'],
    ['is longer than 128 characters', 'A1' + 'b'.repeat(127), 'must be at most 128 characters'],
    ['has no lowercase letter', 'CRISP-APPLES-7', 'must contain a lowercase letter'],
    ['has no uppercase letter', 'crisp-apples-7', 'must contain an uppercase letter'],
    ['has no digit', 'Crisp-Apples-x', 'must contain a digit'],
    ['contains the first name (any case)', 'my-PRIYA-pass-7', 'must not contain your first name'],
    ['contains the last name (any case)', 'natarajan-Rules-1', 'must not contain your last name'],
    ['contains the username (any case)', 'Go-PNAT_42-go', 'must not contain your username'],
  ])('rejects a password that %s, naming exactly that rule', (_case, password, rule) => {
    expect(passwordProblems(password, owner)).toEqual([rule]);
  });

  it('takes exactly 8 and exactly 128 characters', () => {
    const shortest = 'Abcdef1x';
    expect(shortest).toHaveLength(PASSWORD_MIN_LENGTH);
    expect(passwordProblems(shortest, owner)).toEqual([]);
    const longest = 'A1' + 'b'.repeat(PASSWORD_MAX_LENGTH - 2);
    expect(longest).toHaveLength(128);
    expect(passwordProblems(longest, owner)).toEqual([]);
  });

  it('counts characters, not UTF-16 units', () => {
    // 7 characters but 8 UTF-16 units: still too short.
    expect(passwordProblems('Ab1cde🥕', owner)).toEqual(['must be at least 8 characters']);
    // 128 characters (2 of them outside the BMP) are allowed although they are 130 units.
    const withEmoji = '🥕🥕A1' + 'b'.repeat(124);
    expect(withEmoji.length).toBe(130);
    expect(passwordProblems(withEmoji, owner)).toEqual([]);
  });

  it('lists every broken rule at once', () => {
    expect(passwordProblems('priya', owner)).toEqual([
      'must be at least 8 characters',
      'must contain an uppercase letter',
      'must contain a digit',
      'must not contain your first name',
    ]);
  });

  describe('names shorter than 3 characters are not searched for', () => {
    it('a 2-character first name does not forbid passwords that contain it', () => {
      expect(
        passwordProblems('Always-Green-7', { firstName: 'Al', lastName: 'Ng', username: 'alng' }),
      ).toEqual([]);
    });

    it('a 3-character first name does', () => {
      expect(
        passwordProblems('Always-Green-7', { firstName: 'Alw', lastName: 'Ng', username: 'xyz_1' }),
      ).toEqual(['must not contain your first name']);
    });

    it('the threshold applies to the trimmed name', () => {
      expect(passwordProblems('Always-Green-7', { firstName: '  Al  ' })).toEqual([]);
    });

    it('applies to the last name and the username alike', () => {
      expect(passwordProblems('Long-Nguyen-7x', { lastName: 'Ng' })).toEqual([]);
      expect(passwordProblems('Long-Nguyen-7x', { lastName: 'Ngu' })).toEqual([
        'must not contain your last name',
      ]);
      expect(passwordProblems('Long-Nguyen-7x', { username: 'ngu' })).toEqual([
        'must not contain your username',
      ]);
    });
  });

  it('does not depend on which owner fields are given', () => {
    expect(passwordProblems('Crisp-Apples-7', {})).toEqual([]);
  });
});
