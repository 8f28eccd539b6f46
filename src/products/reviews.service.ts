import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { OrdersClient } from '@mfm/contracts/orders.contract';
import { SearchMessages } from '@mfm/contracts/search.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import { booleanLiteral, dialectOf, placeholder } from '@mfm/platform/database/dialect';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { Product } from './entities/product.entity';
import { ProductReview } from './entities/product-review.entity';
import { toDocument } from './product-document';

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

const reviewNotFound = (id: string) => ProductsErrors.REVIEW_NOT_FOUND.error({ id });

/**
 * Product reviews: a rating (1–5) and text, one per customer and product, only from customers
 * with a CONFIRMED order of it (orders is asked). Authors edit theirs; employees hide reviews, with
 * a reason. Every change recomputes the product's rating from its visible reviews in the same
 * transaction and sends the product's document to search.
 */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(ProductReview, 'products')
    private readonly reviews: Repository<ProductReview>,
    @InjectRepository(Product, 'products') private readonly products: Repository<Product>,
    @Inject(outboxToken('products')) private readonly outbox: Outbox,
    private readonly orders: OrdersClient,
  ) {}

  /** A page of a live product's reviews, newest first; employees may ask for hidden ones too. */
  async list(
    productId: string,
    page: number,
    limit: number,
    includeHidden: boolean,
  ): Promise<{ product: Product; items: ProductReview[]; total: number }> {
    const product = await this.liveProduct(this.products.manager, productId);
    const [items, total] = await this.reviews.findAndCount({
      where: includeHidden ? { productId } : { productId, hidden: false },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { product, items, total };
  }

  async create(
    productId: string,
    input: { rating: number; text: string },
    caller: VerifiedUser,
  ): Promise<ProductReview> {
    await this.liveProduct(this.products.manager, productId);
    const { confirmed } = await this.orders.hasConfirmedOrder({ userId: caller.userId, productId });
    if (!confirmed) throw ProductsErrors.PURCHASE_REQUIRED.error();
    return this.outbox.write(async (manager, out) => {
      const product = await this.lockProduct(manager, productId);
      if (await manager.existsBy(ProductReview, { productId, userId: caller.userId }))
        throw ProductsErrors.REVIEW_EXISTS.error();
      const now = new Date();
      const review = manager.create(ProductReview, {
        id: randomUUID(),
        productId,
        userId: caller.userId,
        username: caller.username,
        rating: input.rating,
        text: input.text,
        hidden: false,
        hiddenReason: null,
        hiddenBy: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(ProductReview, review);
      await this.recordChange(manager, out, product, 'review_created', review, actorOf(caller), {
        rating: review.rating,
      });
      return review;
    });
  }

  async update(
    productId: string,
    reviewId: string,
    changes: { rating?: number; text?: string },
    caller: VerifiedUser,
  ): Promise<ProductReview> {
    return this.outbox.write(async (manager, out) => {
      const { product, review } = await this.lockReview(manager, productId, reviewId);
      if (review.userId !== caller.userId) throw ProductsErrors.NOT_REVIEW_AUTHOR.error();
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      if (changes.rating !== undefined && changes.rating !== review.rating)
        diff.rating = { from: review.rating, to: changes.rating };
      if (changes.text !== undefined && changes.text !== review.text)
        diff.text = { from: review.text, to: changes.text };
      if (Object.keys(diff).length === 0) return review;
      Object.assign(review, changes, { updatedAt: new Date() });
      await manager.update(
        ProductReview,
        { id: review.id },
        { rating: review.rating, text: review.text, updatedAt: review.updatedAt },
      );
      await this.recordChange(manager, out, product, 'review_updated', review, actorOf(caller), {
        changes: diff,
      });
      return review;
    });
  }

  /** Moderation: the review leaves the page and the rating; the reason is kept and audited. */
  async hide(
    productId: string,
    reviewId: string,
    reason: string,
    caller: VerifiedUser,
  ): Promise<ProductReview> {
    return this.outbox.write(async (manager, out) => {
      const { product, review } = await this.lockReview(manager, productId, reviewId);
      if (review.hidden) return review;
      Object.assign(review, {
        hidden: true,
        hiddenReason: reason,
        hiddenBy: caller.username,
        updatedAt: new Date(),
      });
      await manager.update(
        ProductReview,
        { id: review.id },
        {
          hidden: true,
          hiddenReason: reason,
          hiddenBy: caller.username,
          updatedAt: review.updatedAt,
        },
      );
      await this.recordChange(manager, out, product, 'review_hidden', review, actorOf(caller), {
        reason,
        author: review.username,
      });
      return review;
    });
  }

  private async liveProduct(manager: EntityManager, id: string): Promise<Product> {
    const product = await manager.findOneBy(Product, { id, archived: false });
    if (!product) throw ProductsErrors.PRODUCT_NOT_FOUND.error({ id });
    return product;
  }

  /**
   * The product, locked for this transaction on PostgreSQL (reviews of one product are counted one
   * at a time across processes); SQLite's write queue already runs them one at a time.
   */
  private async lockProduct(manager: EntityManager, id: string): Promise<Product> {
    if (dialectOf(manager) === 'postgres')
      await manager.query(`SELECT "id" FROM "product" WHERE "id" = $1 FOR UPDATE`, [id]);
    return this.liveProduct(manager, id);
  }

  /** The product, locked as above, and one of its own reviews (404 for another product's). */
  private async lockReview(
    manager: EntityManager,
    productId: string,
    reviewId: string,
  ): Promise<{ product: Product; review: ProductReview }> {
    const product = await this.lockProduct(manager, productId);
    const review = await manager.findOneBy(ProductReview, { id: reviewId, productId });
    if (!review) throw reviewNotFound(reviewId);
    return { product, review };
  }

  /** The rating again from the visible reviews, the audit event, and the search document. */
  private async recordChange(
    manager: EntityManager,
    out: OutboxWriter,
    product: Product,
    type: string,
    review: ProductReview,
    actor: { userId: string; username: string },
    payload: Record<string, unknown>,
  ): Promise<void> {
    const [row] = await manager.query<
      Array<{ n: number | string; average: number | string | null }>
    >(
      `SELECT COUNT(*) AS n, AVG("rating") AS average FROM "product_review"
       WHERE "productId" = ${placeholder(manager, 1)} AND "hidden" = ${booleanLiteral(manager, false)}`,
      [product.id],
    );
    const ratingCount = Number(row.n);
    const ratingAverage = ratingCount > 0 ? Math.round(Number(row.average) * 100) / 100 : null;
    await manager
      .createQueryBuilder()
      .update(Product)
      .set({ ratingAverage, ratingCount, revision: () => '"revision" + 1' })
      .where('"id" = :id', { id: product.id })
      .execute();
    const updated = await manager.findOneByOrFail(Product, { id: product.id });
    await out.audit({
      type,
      actor,
      subject: { kind: 'review', id: review.id, name: product.name },
      payload: { ...payload, productId: product.id, ratingAverage, ratingCount },
    });
    await out.send(SearchMessages.productChanged, toDocument(updated));
  }
}
