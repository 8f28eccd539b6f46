'use strict';
/**
 * Loads the bench's catalogue into an empty Vendure database as Vendure's users load one: the
 * initial data (country, zone, tax rate, shipping and payment methods) through `populate`, then the
 * products through Vendure's importer, from a CSV in its documented format (one variant per
 * product, the category as a facet value, the stock level). The search index is not built here:
 * the bench times that build on the running server (`reindex`, done by the worker).
 *
 * node load.js <database file> <catalogue.json> <port>; prints one JSON line with the timings.
 */
const fs = require('node:fs');
const { bootstrap, dummyPaymentHandler, LanguageCode } = require('@vendure/core');
const { populate, importProductsFromCsv } = require('@vendure/core/cli');
const { configFor } = require('./vendure-config');

const [database, catalogueFile, port] = process.argv.slice(2);

const initialData = {
  defaultLanguage: LanguageCode.en,
  defaultZone: 'Europe',
  // The store's prices are what the shopper pays: no tax on top on either side.
  taxRates: [{ name: 'Standard Tax', percentage: 0 }],
  shippingMethods: [{ name: 'Standard Shipping', price: 0 }],
  paymentMethods: [
    {
      name: 'Dummy payment',
      handler: {
        code: dummyPaymentHandler.code,
        arguments: [{ name: 'automaticSettle', value: 'true' }],
      },
    },
  ],
  countries: [{ name: 'United Kingdom', code: 'GB', zone: 'Europe' }],
  collections: [],
};

const csvCell = (value) => {
  const text = String(value);
  return /[",\n|:]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function toCsv(catalogue) {
  const header = [
    'name',
    'slug',
    'description',
    'assets',
    'facets',
    'optionGroups',
    'optionValues',
    'sku',
    'price',
    'taxCategory',
    'stockOnHand',
    'trackInventory',
    'variantAssets',
    'variantFacets',
  ];
  const rows = catalogue.map((p) =>
    [
      csvCell(p.name),
      csvCell(p.sku.toLowerCase()),
      csvCell(p.description),
      '',
      `category:${p.category}`,
      '',
      '',
      p.sku,
      (p.priceCents / 100).toFixed(2),
      'Standard Tax',
      String(p.stock),
      'true',
      '',
      '',
    ].join(','),
  );
  return `${header.join(',')}\n${rows.join('\n')}\n`;
}

async function main() {
  const catalogue = JSON.parse(fs.readFileSync(catalogueFile, 'utf8'));
  const csvFile = `${catalogueFile}.csv`;
  fs.writeFileSync(csvFile, toCsv(catalogue));
  const began = Date.now();
  const app = await populate(
    () =>
      bootstrap(
        configFor({ database, port: Number(port), synchronize: true, bufferUpdates: true }),
      ),
    initialData,
  );
  const populated = Date.now();
  const progress = await importProductsFromCsv(app, csvFile, LanguageCode.en);
  const imported = Date.now();
  await app.close();
  console.log(
    JSON.stringify({
      populateSeconds: (populated - began) / 1000,
      importSeconds: (imported - populated) / 1000,
      imported: progress?.imported,
      errors: progress?.errors?.slice(0, 5) ?? [],
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
