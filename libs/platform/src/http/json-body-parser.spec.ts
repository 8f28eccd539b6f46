import { jsonDepthExceeds } from './json-body-parser';

describe('jsonDepthExceeds', () => {
  it('counts nesting of arrays and objects', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(33) + ']'.repeat(33), 32)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(32) + ']'.repeat(32), 32)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ note: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ note: 'say \\"[[[[\\"' }), 1)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\\\","b":[[1]]}`, 2)).toBe(true);
  });

  it('stops at the first level past the limit, even in a huge body', () => {
    const hostile = '['.repeat(400_000) + ']'.repeat(400_000);
    expect(jsonDepthExceeds(hostile, 32)).toBe(true);
  });
});
