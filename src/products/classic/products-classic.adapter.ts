import { HttpException, Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MAX_STOCK } from '@mfm/contracts/catalogue.contract';
import { UsersClient, VerifiedUser } from '@mfm/contracts/users.contract';
import { ClassicAdapter, ClassicRequest, ClassicRoute } from '@mfm/platform/classic/classic-http';
import {
  classicCaller,
  classicCategory,
  classicPriceToCents,
} from '@mfm/platform/classic/classic-fields';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { CreateProductDto } from '../dto/create-product.dto';
import { UpdateProductDto } from '../dto/update-product.dto';
import { Product } from '../entities/product.entity';
import { StockReservation } from '../entities/stock-reservation.entity';
import { ProductsService } from '../products.service';

/**
 * "Unlimited stock" of products created through the classic API: the catalogue's maximum stock.
 * Stock stays an ordinary number (reservations, the no-negative-stock rule and the modern API all
 * keep working); a million units is beyond what the classic profile's orders (at most 999 of a
 * product per line) ever exhaust in practice.
 */
export const CLASSIC_UNLIMITED_STOCK = MAX_STOCK;

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

/**
 * The original products service (port 9001) over ProductsService: the same rules, the same
 * `product_created` / `product_updated` events and search updates as the modern API.
 */
@Injectable()
export class ProductsClassicAdapter implements ClassicAdapter {
  readonly module = 'products' as const;

  constructor(
    private readonly products: ProductsService,
    private readonly users: UsersClient,
    @Inject(transactionRunnerToken('products')) private readonly tx: TransactionRunner,
  ) {}

  routes(): ClassicRoute[] {
    return [
      { method: 'POST', path: '/create_product', handle: (r) => this.create(r) },
      { method: 'POST', path: '/edit_product', handle: (r) => this.edit(r) },
    ];
  }

  /** 1 created; 2 bad token or not an employee; 4 refused by the catalogue (bad price, name taken). */
  async create({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const caller = await classicCaller(this.users, token);
    if (!caller || caller.role !== 'employee') return { status: 2 };
    const input = plainToInstance(CreateProductDto, {
      name: fields.name ?? '',
      category: classicCategory(fields.category),
      priceCents: classicPriceToCents(fields.price),
      stock: CLASSIC_UNLIMITED_STOCK,
    });
    if (validateSync(input).length > 0) return { status: 4 };
    return this.refusedAs4(async () => {
      await this.products.create(input, actorOf(caller));
      return { status: 1 };
    });
  }

  /** 1 edited; 2 bad token; 3 not an employee; 4 no such product or nothing valid to change. */
  async edit({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const caller = await classicCaller(this.users, token);
    if (!caller) return { status: 2 };
    if (caller.role !== 'employee') return { status: 3 };
    const changes = plainToInstance(UpdateProductDto, {
      ...(fields.new_price !== undefined && { priceCents: classicPriceToCents(fields.new_price) }),
      ...(fields.new_category !== undefined && {
        category: classicCategory(fields.new_category),
      }),
    });
    if (
      (changes.priceCents === undefined && changes.category === undefined) ||
      validateSync(changes, { skipMissingProperties: true }).length > 0
    )
      return { status: 4 };
    const [product] = (await this.products.facts({ names: [fields.name ?? ''] })).filter(
      (p) => !p.archived,
    );
    if (!product) return { status: 4 };
    return this.refusedAs4(async () => {
      await this.products.update(product.id, changes, undefined, actorOf(caller));
      return { status: 1 };
    });
  }

  /** Products and their reservations go (the outbox stays, so nothing already sent is lost). */
  clear(): Promise<void> {
    return this.tx.run(async (manager) => {
      await manager.query('DELETE FROM "product_review"');
      await manager.createQueryBuilder().delete().from(StockReservation).execute();
      await manager.createQueryBuilder().delete().from(Product).execute();
    });
  }

  private async refusedAs4(
    work: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) return { status: 4 };
      throw error;
    }
  }
}
