/**
 * JSON schemas of the catalogue's public answers, for Fastify's response serialiser: a product is
 * written by a serialiser compiled once (fast-json-stringify) instead of a generic JSON.stringify,
 * on the two hottest routes. They list exactly ProductResponse's fields (a field missing here
 * would be left out of the answer; test/e2e checks the answers against the OpenAPI document).
 */
export const PRODUCT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    category: { type: 'string' },
    priceCents: { type: 'integer' },
    stock: { type: 'integer' },
    inStock: { type: 'boolean' },
    version: { type: 'integer' },
    ratingAverage: { type: ['number', 'null'] },
    ratingCount: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const PRODUCT_PAGE_JSON_SCHEMA = {
  type: 'object',
  properties: {
    items: { type: 'array', items: PRODUCT_JSON_SCHEMA },
    total: { type: 'integer' },
    page: { type: 'integer' },
    limit: { type: 'integer' },
    nextCursor: { type: ['string', 'null'] },
  },
} as const;
