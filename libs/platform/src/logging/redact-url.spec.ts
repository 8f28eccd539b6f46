import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('leaves URLs without a query, or with harmless parameters, as they are', () => {
    expect(redactUrl('/api/products/42')).toBe('/api/products/42');
    expect(redactUrl('/api/search?q=milk&inStock=true&page=2')).toBe(
      '/api/search?q=milk&inStock=true&page=2',
    );
    expect(redactUrl('/api/auth/login')).toBe('/api/auth/login');
  });

  it('hides the whole query string of the sign-in routes', () => {
    expect(redactUrl('/api/auth/refresh?refreshToken=abc.def&x=1')).toBe(
      '/api/auth/refresh?[redacted]',
    );
    expect(redactUrl('/api/auth/login?anything=secret-ish')).toBe('/api/auth/login?[redacted]');
    expect(redactUrl('/api/auth?x=1')).toBe('/api/auth?[redacted]');
  });

  it('hides the value of token, password and secret parameters anywhere, keeping the others', () => {
    expect(redactUrl('/api/users/me?access_token=eyJ.x.y&fields=id')).toBe(
      '/api/users/me?access_token=[redacted]&fields=id',
    );
    expect(
      redactUrl('/api/logs?limit=5&token=abc&refreshToken=r.s&Password=p&client_secret=c'),
    ).toBe(
      '/api/logs?limit=5&token=[redacted]&refreshToken=[redacted]&Password=[redacted]&client_secret=[redacted]',
    );
  });

  it('sees through percent-encoded parameter names, and keeps malformed ones harmless', () => {
    expect(redactUrl('/api/products?access%5Ftoken=eyJ.x.y')).toBe(
      '/api/products?access%5Ftoken=[redacted]',
    );
    expect(redactUrl('/api/products?%E0%A4%A=1&id_token=z')).toBe(
      '/api/products?%E0%A4%A=1&id_token=[redacted]',
    );
  });

  it('does not treat a path that merely starts like the sign-in routes as one', () => {
    expect(redactUrl('/api/authors?q=x')).toBe('/api/authors?q=x');
  });
});
