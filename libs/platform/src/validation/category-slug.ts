/**
 * Categories are lowercase slugs ("dairy", "frozen-food") of at most 50 characters: the same rule
 * for products, search, tax rates and the web app's product form.
 */
export const CATEGORY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_CATEGORY_LENGTH = 50;

export const isCategorySlug = (text: string): boolean =>
  CATEGORY_SLUG.test(text) && text.length <= MAX_CATEGORY_LENGTH;
