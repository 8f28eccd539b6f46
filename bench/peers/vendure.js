'use strict';
/**
 * The Vendure side of the peer comparison: installs the peer (bench/peers/vendure, its own lock
 * file), loads the bench's catalogue into it, starts it, builds its search index, and speaks its
 * Shop API (GraphQL over HTTP) as a storefront does.
 */
const Database = require('better-sqlite3');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { join } = require('node:path');

const PEER = join(__dirname, 'vendure');
const SHOP = '/shop-api';
const ADMIN = '/admin-api';
const SUPERADMIN = { username: 'superadmin', password: 'superadmin-bench' };
// The method's code, as populate derives it from the name in load.js.
const PAYMENT_METHOD = 'dummy-payment';

/** `npm ci` in the peer's folder, once. */
function installVendure(log) {
  if (fs.existsSync(join(PEER, 'node_modules', '@vendure', 'core'))) return;
  log('installing Vendure (npm ci in bench/peers/vendure)');
  const done = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: PEER, stdio: 'inherit' });
  if (done.status !== 0) throw new Error('npm ci in bench/peers/vendure failed');
}

const vendureEnv = () => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'production',
  VENDURE_DISABLE_TELEMETRY: 'true',
});

/** The catalogue as load.js takes it: the bench's products, each with a SKU from its position. */
function peerCatalogue(catalogue, orderable) {
  return catalogue.map((p, i) => ({
    sku: skuOf(i),
    name: p.name,
    description: p.description,
    category: p.category,
    priceCents: p.priceCents,
    stock: i < orderable ? 10_000_000 : p.stock,
  }));
}
const skuOf = (i) => `MFM-${String(i).padStart(6, '0')}`;

/**
 * What the bench needs to address Vendure's rows, read from its database: the product and
 * variant id of each catalogue position, the facet value id and product count of each category.
 */
function readIds(database, count) {
  const db = new Database(database, { readonly: true });
  try {
    const variants = db.prepare('SELECT id, sku, productId FROM product_variant').all();
    const bySku = new Map(variants.map((v) => [v.sku, v]));
    const products = [];
    for (let i = 0; i < count; i++) {
      const v = bySku.get(skuOf(i));
      if (!v) throw new Error(`Vendure has no variant ${skuOf(i)}`);
      products.push({ productId: String(v.productId), variantId: String(v.id) });
    }
    const facetValues = db
      .prepare(
        `SELECT fv.id AS id, t.name AS name,
                (SELECT COUNT(*) FROM product_facet_values_facet_value p WHERE p.facetValueId = fv.id) AS products
           FROM facet_value fv JOIN facet_value_translation t ON t.baseId = fv.id`,
      )
      .all();
    const categories = new Map(
      facetValues.map((f) => [f.name, { id: String(f.id), products: f.products }]),
    );
    return { products, categories };
  } finally {
    db.close();
  }
}

/** A GraphQL POST: its headers and body, signed in when there is a token. */
const graphqlPost = (query, variables, token) => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  body: JSON.stringify({ query, variables }),
});

/** A GraphQL request to the Shop API as autocannon sends it. */
const gql = (query, variables, token) => ({ ...graphqlPost(query, variables, token), path: SHOP });

/** One GraphQL call; the data, or an error naming what failed. */
async function call(url, path, query, variables, token) {
  const response = await fetch(`${url}${path}`, graphqlPost(query, variables, token));
  const body = await response.json();
  if (!response.ok || body.errors)
    throw new Error(`Vendure ${path}: ${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return { data: body.data, token: response.headers.get('vendure-auth-token') };
}

const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    __typename ... on CurrentUser { id } ... on ErrorResult { errorCode message }
  }
}`;

async function loginAs(url, path, account) {
  const { data, token } = await call(url, path, LOGIN, account);
  if (data.login.__typename !== 'CurrentUser' || !token)
    throw new Error(`Vendure login: ${JSON.stringify(data.login)}`);
  return token;
}

/**
 * Runs `reindex` and waits for its job, reading the job's row from the database: the build holds
 * the server's event loop for minutes at 100,000 products, so the API cannot answer a poll
 * meanwhile. Returns the job's own duration and the time waited, in seconds.
 */
async function buildSearchIndex(url, database, sleep) {
  const admin = await loginAs(url, ADMIN, SUPERADMIN);
  const { data } = await call(url, ADMIN, 'mutation { reindex { id } }', {}, admin);
  const started = Date.now();
  const db = new Database(database, { readonly: true });
  try {
    const read = db.prepare('SELECT state, startedAt, settledAt FROM job_record WHERE id = ?');
    for (;;) {
      const job = read.get(data.reindex.id);
      if (job?.state === 'COMPLETED')
        return {
          seconds: (Date.parse(`${job.settledAt}Z`) - Date.parse(`${job.startedAt}Z`)) / 1000,
          waited: (Date.now() - started) / 1000,
        };
      if (job?.state === 'FAILED' || job?.state === 'CANCELLED')
        throw new Error(`Vendure reindex ${job.state}`);
      if (Date.now() - started > 1_800_000) throw new Error('Vendure reindex took over 30 minutes');
      await sleep(1000);
    }
  } finally {
    db.close();
  }
}

/** Shoppers who have signed up and signed in: their bearer tokens. */
async function signUpShoppers(url, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const account = { username: `shopper${i}@bench.example`, password: 'HappyCart-2026' };
    const { data } = await call(
      url,
      SHOP,
      `mutation Register($input: RegisterCustomerInput!) {
        registerCustomerAccount(input: $input) { __typename ... on ErrorResult { errorCode message } }
      }`,
      {
        input: {
          emailAddress: account.username,
          password: account.password,
          firstName: 'Bench',
          lastName: `Shopper ${i}`,
        },
      },
    );
    if (data.registerCustomerAccount.__typename !== 'Success')
      throw new Error(`Vendure sign-up: ${JSON.stringify(data.registerCustomerAccount)}`);
    tokens.push(await loginAs(url, SHOP, account));
  }
  return tokens;
}

const PRODUCT = `query Product($id: ID!) {
  product(id: $id) {
    id name slug description
    facetValues { name }
    variants { id sku priceWithTax stockLevel }
  }
}`;

const SEARCH = `query Search($input: SearchInput!) {
  search(input: $input) {
    totalItems
    items { productId productName priceWithTax { ... on PriceRange { min max } ... on SinglePrice { value } } }
    facetValues { count facetValue { id name } }
  }
}`;

const LISTING = `query Listing($input: SearchInput!) {
  search(input: $input) {
    totalItems
    items { productId productName priceWithTax { ... on PriceRange { min max } ... on SinglePrice { value } } }
  }
}`;

const ADD_ITEM = `mutation Add($id: ID!, $quantity: Int!) {
  addItemToOrder(productVariantId: $id, quantity: $quantity) {
    __typename ... on Order { id } ... on ErrorResult { errorCode message }
  }
}`;
const ADDRESS = `mutation Address($input: CreateAddressInput!) {
  setOrderShippingAddress(input: $input) { __typename ... on ErrorResult { errorCode message } }
}`;
const SHIPPING_METHODS = 'query { eligibleShippingMethods { id } }';
const SET_SHIPPING = `mutation Ship($id: [ID!]!) {
  setOrderShippingMethod(shippingMethodId: $id) { __typename ... on ErrorResult { errorCode message } }
}`;
const TO_PAYMENT = `mutation {
  transitionOrderToState(state: "ArrangingPayment") {
    __typename ... on Order { state } ... on OrderStateTransitionError { errorCode message transitionError }
  }
}`;
const PAY = `mutation Pay($input: PaymentInput!) {
  addPaymentToOrder(input: $input) {
    __typename
    ... on Order { code state totalWithTax lines { quantity productVariant { id } } }
    ... on ErrorResult { errorCode message }
  }
}`;

const ADDRESS_INPUT = {
  fullName: 'Bench Shopper',
  streetLine1: '1 Market Street',
  city: 'London',
  postalCode: 'E1 6AN',
  countryCode: 'GB',
};

/**
 * A whole checkout, as a Vendure storefront runs it: three lines added, the address, the shipping
 * method, the move to payment, the payment. Resolves to the placed order; throws on any step
 * that did not do what it should.
 */
async function placeVendureOrder(url, token, lines) {
  const step = async (query, variables, field, typename) => {
    const { data } = await call(url, SHOP, query, variables, token);
    const result = data[field];
    if (result.__typename !== typename)
      throw new Error(`Vendure ${field}: ${JSON.stringify(result)}`);
    return result;
  };
  for (const line of lines) await step(ADD_ITEM, line, 'addItemToOrder', 'Order');
  await step(ADDRESS, { input: ADDRESS_INPUT }, 'setOrderShippingAddress', 'Order');
  const methods = (await call(url, SHOP, SHIPPING_METHODS, {}, token)).data.eligibleShippingMethods;
  await step(SET_SHIPPING, { id: [methods[0].id] }, 'setOrderShippingMethod', 'Order');
  await step(TO_PAYMENT, {}, 'transitionOrderToState', 'Order');
  return step(
    PAY,
    { input: { method: PAYMENT_METHOD, metadata: {} } },
    'addPaymentToOrder',
    'Order',
  );
}

module.exports = {
  LISTING,
  PEER,
  PRODUCT,
  SEARCH,
  buildSearchIndex,
  gql,
  installVendure,
  peerCatalogue,
  placeVendureOrder,
  readIds,
  signUpShoppers,
  vendureEnv,
};
