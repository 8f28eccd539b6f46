/**
 * The catalogue's limits, free of any framework so that the web app checks a product form by
 * the same rules before sending it.
 */
export {
  CATEGORY_SLUG,
  MAX_CATEGORY_LENGTH,
  isCategorySlug,
} from '@mfm/platform/validation/category-slug';

/** Prices are integer cents up to 100,000.00. */
export const MAX_PRICE_CENTS = 10_000_000;
/** Stock of one product; the classic API's "unlimited" is this maximum. */
export const MAX_STOCK = 1_000_000;
/** A product's name, trimmed; its description. */
export const MAX_PRODUCT_NAME_LENGTH = 100;
export const MAX_PRODUCT_DESCRIPTION_LENGTH = 2000;
