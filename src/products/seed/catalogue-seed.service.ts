import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  DEMO_PEOPLE,
  DEMO_PRODUCT_EDITS,
  demoMoment,
  demoProductId,
  type DemoProductEdit,
} from '@mfm/demo/demo-store';
import { APP_CONFIG, AppConfig, seedsDemoHistory } from '@mfm/platform/config/app-config';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { DEMO_CATALOGUE } from '@mfm/demo/demo-catalogue';
import { Product } from '../entities/product.entity';
import { ProductsService } from '../products.service';

/** How long the demo shop has been selling its catalogue, in days before its first start. */
const CATALOGUE_AGE_DAYS = 100;

/**
 * Stocks the demo store on its first start (an empty catalogue, demo seeding on). In development
 * the catalogue dates from weeks back and carries the employees' changes since (prices, restocks,
 * a description), each at its own date, so "last changed by" has something to say.
 */
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
    const history = seedsDemoHistory(this.config);
    const now = new Date();
    const stocked = history ? demoMoment(now, CATALOGUE_AGE_DAYS, '06:00') : now;
    await this.outbox.write(async (manager, out) => {
      for (const [name, category, priceCents, stock, description] of DEMO_CATALOGUE) {
        await this.catalogue.insertNew(
          manager,
          out,
          { name, category, priceCents, stock, description },
          undefined,
          stocked,
          demoProductId(name),
        );
      }
    });
    this.logger.log({ msg: `seeded ${DEMO_CATALOGUE.length} demo products` });
    if (!history) return;
    for (const edit of DEMO_PRODUCT_EDITS) await this.apply(edit, now);
    this.logger.log({ msg: `applied ${DEMO_PRODUCT_EDITS.length} demo product changes` });
  }

  private async apply(edit: DemoProductEdit, now: Date): Promise<void> {
    const employee = DEMO_PEOPLE.find((p) => p.username === edit.username);
    const product = await this.products.findOneBy({ name: edit.product, archived: false });
    if (!employee || !product) throw new Error(`Demo change of unknown ${edit.product}`);
    await this.catalogue.update(
      product.id,
      edit.changes,
      undefined,
      { userId: employee.id, username: employee.username },
      demoMoment(now, edit.daysAgo, edit.time),
    );
  }
}
