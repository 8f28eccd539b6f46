import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Product } from '../entities/product.entity';
import { DEMO_CATALOGUE } from './demo-catalogue';
import { SearchPatterns } from '@mfm/contracts/search.contract';
import { toDocument } from '../product-document';

/** Stocks the demo store on its first start (an empty catalogue, demo seeding on). */
@Injectable()
export class CatalogueSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueSeed.name);

  constructor(
    @InjectRepository(Product, 'products') private readonly products: Repository<Product>,
    @Inject(outboxToken('products')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo || (await this.products.count()) > 0) return;
    await this.outbox.write(async (manager, out) => {
      const now = new Date();
      for (const [name, category, priceCents, stock, description] of DEMO_CATALOGUE) {
        const product: Product = {
          id: randomUUID(),
          name,
          nameKey: name.toLowerCase(),
          description,
          category,
          priceCents,
          stock,
          archived: false,
          version: 1,
          revision: 1,
          createdAt: now,
          updatedAt: now,
        };
        await manager.insert(Product, product);
        await out.send('search', SearchPatterns.productChanged, toDocument(product));
        await out.audit({
          type: 'product_created',
          subject: { kind: 'product', id: product.id, name },
          payload: { seed: true, category, priceCents, stock },
        });
      }
    });
    this.logger.log({ msg: `seeded ${DEMO_CATALOGUE.length} demo products` });
  }
}
