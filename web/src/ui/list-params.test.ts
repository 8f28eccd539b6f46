import { describe, expect, it } from 'vitest';
import { changedParams } from './list-params.hook';

describe('changedParams', () => {
  const current = new URLSearchParams('category=dairy&sort=price&page=4');

  it('sets and removes filters, and goes back to page 1 when a filter changes', () => {
    expect(changedParams(current, { category: 'bakery', sort: '' }).toString()).toBe(
      'category=bakery',
    );
    expect(changedParams(current, { inStock: 'true' }).toString()).toBe(
      'category=dairy&sort=price&inStock=true',
    );
  });

  it('keeps the filters when only the page changes', () => {
    expect(changedParams(current, { page: '5' }).toString()).toBe(
      'category=dairy&sort=price&page=5',
    );
  });

  it('leaves the params it was given untouched', () => {
    changedParams(current, { category: undefined });
    expect(current.toString()).toBe('category=dairy&sort=price&page=4');
  });
});
