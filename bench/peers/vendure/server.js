'use strict';
/**
 * The Vendure server, with its job queue (search indexing, collections, session cleaning) started
 * in the same process: node server.js <database file> <port>.
 *
 * Vendure's production layout runs the job queue in a worker process of its own. On SQLite that
 * layout cannot serve: the SQL job queue's polling commits about ten times a second while idle,
 * and a login, which hashes the password between its read and its write inside one transaction,
 * then always fails with "database is locked" (SQLite refuses to upgrade a read transaction whose
 * snapshot another process has moved past). Vendure documents starting the job queue in the
 * server (`JobQueueService.start()`); on one connection the polling and the requests queue
 * behind each other instead of failing.
 */
const { bootstrap, JobQueueService } = require('@vendure/core');
const { configFor } = require('./vendure-config');

const [database, port] = process.argv.slice(2);
bootstrap(configFor({ database, port: Number(port) }))
  .then((app) => app.get(JobQueueService).start())
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
