import { parseCorsOrigins } from './cors-origins';

describe('parseCorsOrigins', () => {
  it('reads a comma list of exact origins, trimming spaces and dropping repeats', () => {
    expect(
      parseCorsOrigins(' https://shop.example , http://localhost:5173,https://shop.example'),
    ).toEqual(['https://shop.example', 'http://localhost:5173']);
  });

  it('is empty (CORS off) when unset or blank', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' , ')).toEqual([]);
  });

  it.each([
    ['*', /wildcards/],
    ['https://*.shop.example', /wildcards/],
    ['shop.example', /not an origin/],
    ['https://shop.example/', /write it as "https:\/\/shop.example"/],
    ['https://shop.example/app', /not an exact origin/],
    ['https://Shop.Example', /write it as "https:\/\/shop.example"/],
    ['https://shop.example:443', /write it as "https:\/\/shop.example"/],
    ['ftp://shop.example', /only http and https/],
    ['null', /not an origin/],
  ])('refuses %s, saying why', (entry, why) => {
    expect(() => parseCorsOrigins(`https://ok.example,${entry}`)).toThrow(why);
  });
});
