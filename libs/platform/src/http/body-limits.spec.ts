import { DEFAULT_BODY_LIMIT, bodyLimitFor } from './body-limits';

describe('bodyLimitFor', () => {
  it('gives sign-in routes a small limit and the rest the default', () => {
    expect(bodyLimitFor('/api/auth/login')).toBe(8 * 1024);
    expect(bodyLimitFor('/api/auth/register')).toBe(8 * 1024);
    expect(bodyLimitFor('/api/products')).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor('/api/orders')).toBe(DEFAULT_BODY_LIMIT);
  });
});
