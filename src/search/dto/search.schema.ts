/**
 * The JSON schema of a search answer, for Fastify's compiled response serialiser
 * (fast-json-stringify) on the store's busiest route. It lists exactly SearchResponse's fields: a
 * field missing here would be left out of the answer (test/e2e checks the answers against the
 * OpenAPI document).
 */
export const SEARCH_JSON_SCHEMA = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          category: { type: 'string' },
          priceCents: { type: 'integer' },
          stock: { type: 'integer' },
          inStock: { type: 'boolean' },
          ratingAverage: { type: ['number', 'null'] },
          ratingCount: { type: 'integer' },
          score: { type: 'number' },
          lastModifiedBy: { type: ['string', 'null'] },
          lastModifiedAt: { type: ['string', 'null'] },
        },
      },
    },
    total: { type: 'integer' },
    page: { type: 'integer' },
    limit: { type: 'integer' },
    facets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { category: { type: 'string' }, count: { type: 'integer' } },
      },
    },
    metadataComplete: { type: 'boolean' },
  },
} as const;
