'use strict';
/**
 * Vendure as its documentation recommends running it in production, on better-sqlite3: the
 * schema made once (synchronize only on the first, empty start), the SQL job queue with its
 * worker in a process of its own, Vendure's SQL search, a dummy payment handler and one shipping
 * method (made when the catalogue is loaded). The bench's only changes to the defaults are
 * written here and in the report: WAL journal (the server and the worker share the file), the
 * log level the store runs at (info), and no login throttling to lift (Vendure has none).
 *
 * The catalogue is loaded with `bufferUpdates` on, as Vendure's search plugin documents for large
 * catalogues: the importer's stock movements would otherwise queue one index job per product,
 * which the full `reindex` that follows makes redundant. The server runs with it off, its
 * default: each change (an order's stock movement) updates the index through the job queue.
 */
const {
  DefaultJobQueuePlugin,
  DefaultSchedulerPlugin,
  DefaultSearchPlugin,
  LogLevel,
  DefaultLogger,
  dummyPaymentHandler,
} = require('@vendure/core');

function configFor({ database, port = 3000, synchronize = false, bufferUpdates = false }) {
  return {
    apiOptions: {
      hostname: '127.0.0.1',
      port,
      adminApiPath: 'admin-api',
      shopApiPath: 'shop-api',
      // Production: no playground, no debug (the defaults are already off).
      adminApiPlayground: false,
      shopApiPlayground: false,
    },
    authOptions: {
      tokenMethod: ['bearer', 'cookie'],
      requireVerification: false,
      superadminCredentials: { identifier: 'superadmin', password: 'superadmin-bench' },
      cookieOptions: { secret: 'bench-cookie-secret' },
    },
    dbConnectionOptions: {
      type: 'better-sqlite3',
      database,
      synchronize,
      migrations: [],
      logging: false,
      enableWAL: true,
    },
    paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
    logger: new DefaultLogger({ level: LogLevel.Info }),
    plugins: [
      DefaultSchedulerPlugin.init(),
      DefaultJobQueuePlugin.init({ useDatabaseForBuffer: true }),
      DefaultSearchPlugin.init({ bufferUpdates, indexStockStatus: false }),
    ],
  };
}

module.exports = { configFor };
