import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { Repository } from 'typeorm';
import { Product } from '../entities/product.entity';
import { ProductsService } from '../products.service';
import { DEMO_CATALOGUE } from './demo-catalogue';

/** Stocks the demo store on its first start (an empty catalogue, demo seeding on). */
@Injectable()
export class CatalogueSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueSeed.name);

  constructor(
    @InjectRepository(Product, 'products') private readonly products: Repository<Product>,
    @Inject(outboxToken('products')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalogue: ProductsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo || (await this.products.count()) > 0) return;
    await this.outbox.write(async (manager, out) => {
      for (const [name, category, priceCents, stock, description] of DEMO_CATALOGUE) {
        await this.catalogue.insertNew(manager, out, {
          name,
          category,
          priceCents,
          stock,
          description,
        });
      }
    });
    this.logger.log({ msg: `seeded ${DEMO_CATALOGUE.length} demo products` });
  }
}
