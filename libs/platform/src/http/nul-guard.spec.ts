import { nulCharacterAt } from './nul-guard';

describe('nulCharacterAt', () => {
  it('names the first field whose text holds a NUL character', () => {
    expect(nulCharacterAt({ username: 'ada', lastName: 'x\u0000y' })).toBe('lastName');
    expect(nulCharacterAt({ items: [{ note: 'ok' }, { note: '\u0000' }] })).toBe('items[1].note');
    expect(nulCharacterAt('\u0000')).toBe('(body)');
  });

  it('passes text without one, whatever else it holds', () => {
    expect(nulCharacterAt({ q: "'; DROP TABLE x; --", n: 0, t: true, z: null, e: '\\u0000' })).toBe(
      undefined,
    );
    expect(nulCharacterAt(undefined)).toBe(undefined);
  });
});
