import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DEMO_ORDERS, DEMO_PEOPLE, demoMoment } from '@mfm/demo/demo-store';
import { ProductFacts, ProductsClient } from '@mfm/contracts/products.contract';
import { APP_CONFIG, AppConfig, seedsDemoHistory } from '@mfm/platform/config/app-config';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { Order } from '../entities/order.entity';
import { priceOrder } from '../pricing';

/** Products may start after orders (split processes): ask again, more slowly, for a while. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
const ATTEMPTS = 60;

/**
 * The demo store's order history (development only): thirty orders of its customers over the
 * last five weeks, priced from the catalogue, three of them cancelled, each with its audit events
 * at its own date. It is history: the stock those orders took is already gone from the
 * catalogue's numbers, so nothing is reserved now. Runs in the background on a store without
 * orders, once products can name the demo catalogue; the store is ready meanwhile.
 */
@Injectable()
export class DemoOrdersSeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DemoOrdersSeed.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectRepository(Order, 'orders') private readonly orders: Repository<Order>,
    @Inject(outboxToken('orders')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly products: ProductsClient,
  ) {}

  onApplicationBootstrap(): void {
    if (!seedsDemoHistory(this.config)) return;
    this.running = this.seed().catch((error: unknown) =>
      this.logger.error({ msg: 'demo orders not seeded', error: (error as Error).message }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async seed(): Promise<void> {
    if ((await this.orders.count()) > 0) return;
    const catalogue = await this.demoCatalogue();
    if (!catalogue) return;
    const now = new Date();
    const taxRates = this.config.orders.taxRatesBps;
    const seeded = await this.outbox.write(
      async (manager, out) => {
        // Checked again inside the write: a second start racing this one seeds nothing.
        if ((await manager.count(Order)) > 0) return 0;
        for (const demo of DEMO_ORDERS) {
          const customer = DEMO_PEOPLE.find((p) => p.username === demo.username);
          if (!customer) throw new Error(`Demo order of unknown ${demo.username}`);
          const priced = priceOrder(
            demo.lines.map(([name, quantity]) => {
              const product = catalogue.get(name) as ProductFacts;
              return {
                productId: product.id,
                name: product.name,
                category: product.category,
                unitPriceCents: product.priceCents,
                quantity,
              };
            }),
            taxRates,
          );
          const placedAt = demoMoment(now, demo.daysAgo, demo.time);
          const cancelledAt =
            demo.cancelledAfterHours === undefined
              ? undefined
              : new Date(placedAt.getTime() + demo.cancelledAfterHours * 3_600_000);
          await manager.insert(Order, {
            id: demo.id,
            userId: customer.id,
            username: customer.username,
            status: cancelledAt ? 'CANCELLED' : 'CONFIRMED',
            failure: null,
            requested: priced.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
            lines: priced.lines,
            subtotalCents: priced.subtotalCents,
            taxCents: priced.taxCents,
            totalCents: priced.totalCents,
            createdAt: placedAt,
            updatedAt: cancelledAt ?? placedAt,
          });
          const actor = { userId: customer.id, username: customer.username };
          const subject = {
            kind: 'order' as const,
            id: demo.id,
            name: `order of ${customer.username}`,
          };
          await out.audit({
            type: 'order_placed',
            occurredAt: placedAt.toISOString(),
            actor,
            subject,
            payload: {
              totalCents: priced.totalCents,
              lines: priced.lines.map((l) => ({
                productId: l.productId,
                name: l.name,
                quantity: l.quantity,
                totalCents: l.totalCents,
              })),
            },
          });
          if (cancelledAt) {
            await out.audit({
              type: 'order_cancelled',
              occurredAt: cancelledAt.toISOString(),
              actor,
              subject,
              payload: { totalCents: priced.totalCents, byEmployee: false },
            });
          }
        }
        return DEMO_ORDERS.length;
      },
      { waitMs: 0 },
    );
    if (seeded > 0) this.logger.log({ msg: `seeded ${seeded} demo orders` });
  }

  /** The demo catalogue by name, once products has it all (undefined: gave up, or stopping). */
  private async demoCatalogue(): Promise<Map<string, ProductFacts> | undefined> {
    const names = [...new Set(DEMO_ORDERS.flatMap((o) => o.lines.map(([name]) => name)))];
    let wait = FIRST_RETRY_MS;
    for (let attempt = 1; attempt <= ATTEMPTS && !this.stopping; attempt++) {
      try {
        const { items } = await this.products.getMany({ names });
        const byName = new Map(items.filter((p) => !p.archived).map((p) => [p.name, p]));
        if (names.every((name) => byName.has(name))) return byName;
      } catch {
        // products not reachable yet
      }
      await sleep(wait);
      wait = Math.min(MAX_RETRY_MS, wait * 2);
    }
    if (!this.stopping)
      this.logger.warn(
        'demo orders not seeded: the products module does not have the demo catalogue',
      );
    return undefined;
  }
}
