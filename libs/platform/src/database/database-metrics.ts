import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { dialectOf } from './dialect';
import type { TransactionRunner } from './transaction-runner';
import { Metrics } from '../metrics/metrics';

/** What node-postgres' pool says about itself (TypeORM keeps it as the driver's master pool). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * A module database in /metrics: every statement's duration (TypeORM reports each one to its
 * subscribers), the pool's connections on PostgreSQL (SQLite has one connection), and whether the
 * storage takes writes (the transaction runner's verdict, as /ready shows it).
 */
export function watchDatabase(
  metrics: Metrics,
  module: string,
  dataSource: DataSource,
  runner: TransactionRunner,
): void {
  const timer: EntitySubscriberInterface = {
    afterQuery(event: AfterQueryEvent) {
      metrics.dbQueryDuration.observe(
        { module, outcome: event.success ? 'ok' : 'error' },
        (event.executionTime ?? 0) / 1000,
      );
    },
  };
  dataSource.subscribers.push(timer);
  metrics.onCollect(() => {
    metrics.storageWritable.set({ module }, runner.storage.writable ? 1 : 0);
    if (!dataSource.isInitialized || dialectOf(dataSource) !== 'postgres') return;
    const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool) return;
    metrics.dbPool.set({ module, state: 'total' }, pool.totalCount);
    metrics.dbPool.set({ module, state: 'idle' }, pool.idleCount);
    metrics.dbPool.set({ module, state: 'waiting' }, pool.waitingCount);
  });
}
