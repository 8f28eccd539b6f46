import type { Product, ProductFields } from '../api/api.types';
import { parsePrice, priceInputValue } from '../format/money.format';
import {
  MAX_PRICE_CENTS,
  MAX_PRODUCT_DESCRIPTION_LENGTH,
  MAX_PRODUCT_NAME_LENGTH,
  MAX_STOCK,
  isCategorySlug,
} from '@mfm/contracts/catalogue-rules';

/** What the product form holds: text as typed. */
export interface ProductDraft {
  name: string;
  category: string;
  price: string;
  stock: string;
  description: string;
}

export const EMPTY_DRAFT: ProductDraft = {
  name: '',
  category: '',
  price: '',
  stock: '0',
  description: '',
};

export function draftOf(product: Product): ProductDraft {
  return {
    name: product.name,
    category: product.category,
    price: priceInputValue(product.priceCents),
    stock: String(product.stock),
    description: product.description ?? '',
  };
}

export type DraftErrors = Partial<Record<keyof ProductDraft, string>>;

export function readDraft(
  draft: ProductDraft,
): { fields: ProductFields; errors?: undefined } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'A name is needed.';
  else if (name.length > MAX_PRODUCT_NAME_LENGTH)
    errors.name = `At most ${MAX_PRODUCT_NAME_LENGTH} characters.`;
  const category = draft.category.trim();
  if (!isCategorySlug(category))
    errors.category = 'A lowercase word or words joined by dashes, such as frozen-food.';
  const priceCents = parsePrice(draft.price);
  if (priceCents === undefined || priceCents < 1 || priceCents > MAX_PRICE_CENTS)
    errors.price = 'An amount in pounds from 0.01 to 100000, such as 2.49.';
  const stock = /^\d+$/.test(draft.stock.trim()) ? Number(draft.stock.trim()) : Number.NaN;
  if (!Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK)
    errors.stock = `A whole number from 0 to ${MAX_STOCK.toLocaleString('en-GB')}.`;
  if (draft.description.length > MAX_PRODUCT_DESCRIPTION_LENGTH)
    errors.description = `At most ${MAX_PRODUCT_DESCRIPTION_LENGTH} characters.`;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    fields: {
      name,
      category,
      priceCents: priceCents as number,
      stock,
      description: draft.description,
    },
  };
}

/** The draft's fields when it is valid, else undefined; `showErrors` gets its errors (none when valid). */
export function checkedDraft(
  draft: ProductDraft,
  showErrors: (errors: DraftErrors) => void,
): ProductFields | undefined {
  const read = readDraft(draft);
  showErrors(read.errors ?? {});
  return read.errors ? undefined : read.fields;
}

/** The fields that differ from the product as it was: what a PATCH sends. */
export function changedFields(base: Product, fields: ProductFields): Partial<ProductFields> {
  const changes: Partial<ProductFields> = {};
  if (fields.name !== base.name) changes.name = fields.name;
  if (fields.category !== base.category) changes.category = fields.category;
  if (fields.priceCents !== base.priceCents) changes.priceCents = fields.priceCents;
  if (fields.stock !== base.stock) changes.stock = fields.stock;
  if (fields.description !== (base.description ?? '')) changes.description = fields.description;
  return changes;
}
