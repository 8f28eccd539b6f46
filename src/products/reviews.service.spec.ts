import { randomUUID } from 'node:crypto';
import { LoggingMessages, type NewAuditEvent } from '@mfm/contracts/logging.contract';
import type { OrdersClient } from '@mfm/contracts/orders.contract';
import { SearchMessages, type ProductDocument } from '@mfm/contracts/search.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { refusal } from '@mfm/platform/testing/refusal';
import { Product } from './entities/product.entity';
import { ProductReview } from './entities/product-review.entity';
import {
  delivered,
  insertProduct,
  useProductsServiceDatabase,
} from './products-test-database.spec-helper';
import { ReviewsService } from './reviews.service';

const customer = (username: string): VerifiedUser => ({
  userId: randomUUID(),
  username,
  role: 'customer',
  emailVerified: true,
});

/** The orders module as reviews sees it: who has a confirmed order of which product. */
class FakeOrders {
  readonly bought = new Set<string>();
  readonly asked: Array<{ userId: string; productId: string }> = [];
  buys(user: VerifiedUser, product: Product) {
    this.bought.add(`${user.userId}/${product.id}`);
  }
  hasConfirmedOrder(request: { userId: string; productId: string }) {
    this.asked.push(request);
    return Promise.resolve({
      confirmed: this.bought.has(`${request.userId}/${request.productId}`),
    });
  }
}

describe('ReviewsService (real SQLite, in memory, a fake orders module)', () => {
  const data = useProductsServiceDatabase();
  let orders: FakeOrders;
  let reviews: ReviewsService;
  let milk: Product;
  const ada = customer('ada');
  const grace = customer('grace');
  const linus = customer('linus');
  const manager: VerifiedUser = { ...customer('manager'), role: 'employee' };

  beforeEach(async () => {
    orders = new FakeOrders();
    reviews = new ReviewsService(
      data.db.getRepository(ProductReview),
      data.db.getRepository(Product),
      data.outbox,
      orders as unknown as OrdersClient,
    );
    milk = await product('Whole milk');
    for (const user of [ada, grace, linus]) orders.buys(user, milk);
  });

  const product = (name: string, archived = false): Promise<Product> =>
    insertProduct(data.db, { name, archived, category: 'dairy', priceCents: 129 });
  const stored = (id: string) => data.db.getRepository(Product).findOneByOrFail({ id });
  const audits = () =>
    delivered<NewAuditEvent>(data.sent, 'logging', LoggingMessages.record.pattern).map((e) => ({
      type: e.type,
      actor: e.actor,
      subject: e.subject,
      payload: e.payload,
    }));
  const documents = () =>
    delivered<ProductDocument>(data.sent, 'search', SearchMessages.productChanged.pattern);

  it('only a customer with a confirmed order of the product may review it', async () => {
    const stranger = customer('stranger');
    const refused = await refusal(reviews.create(milk.id, { rating: 5, text: 'Great' }, stranger));
    expect(refused).toMatchObject({ status: 403, code: 'PURCHASE_REQUIRED' });
    expect(orders.asked).toEqual([{ userId: stranger.userId, productId: milk.id }]);
    expect(await data.db.getRepository(ProductReview).count()).toBe(0);
    expect(await stored(milk.id)).toMatchObject({ ratingCount: 0, ratingAverage: null });
    expect(data.sent).toEqual([]);
  });

  it('a buyer reviews once: the rating, the audit event and the search document follow', async () => {
    const review = await reviews.create(milk.id, { rating: 4, text: 'Creamy' }, ada);
    expect(review).toMatchObject({
      productId: milk.id,
      userId: ada.userId,
      username: 'ada',
      rating: 4,
      text: 'Creamy',
      hidden: false,
    });
    expect(await stored(milk.id)).toMatchObject({ ratingCount: 1, ratingAverage: 4, revision: 2 });
    expect(audits()).toEqual([
      {
        type: 'review_created',
        actor: { userId: ada.userId, username: 'ada' },
        subject: { kind: 'review', id: review.id, name: 'Whole milk' },
        payload: { rating: 4, productId: milk.id, ratingAverage: 4, ratingCount: 1 },
      },
    ]);
    expect(documents().map((d) => [d.id, d.ratingAverage, d.ratingCount, d.revision])).toEqual([
      [milk.id, 4, 1, 2],
    ]);

    const again = await refusal(reviews.create(milk.id, { rating: 1, text: 'Changed' }, ada));
    expect(again).toMatchObject({ status: 409, code: 'REVIEW_EXISTS' });
    expect(await data.db.getRepository(ProductReview).countBy({ productId: milk.id })).toBe(1);
    // Another product of the same customer is another review.
    const bread = await product('Rye bread');
    orders.buys(ada, bread);
    await expect(reviews.create(bread.id, { rating: 2, text: 'Dry' }, ada)).resolves.toBeDefined();
  });

  it('the rating is the average of the visible reviews, to two decimals', async () => {
    await reviews.create(milk.id, { rating: 5, text: 'a' }, ada);
    await reviews.create(milk.id, { rating: 4, text: 'b' }, grace);
    const third = await reviews.create(milk.id, { rating: 4, text: 'c' }, linus);
    expect(await stored(milk.id)).toMatchObject({ ratingCount: 3, ratingAverage: 4.33 });
    await reviews.hide(milk.id, third.id, 'Off topic', manager);
    expect(await stored(milk.id)).toMatchObject({ ratingCount: 2, ratingAverage: 4.5 });
  });

  it('an unknown or archived product cannot be reviewed', async () => {
    const old = await product('Old cheese', true);
    orders.buys(ada, old);
    for (const id of [old.id, randomUUID()])
      expect(await refusal(reviews.create(id, { rating: 3, text: 'x' }, ada))).toMatchObject({
        status: 404,
        code: 'PRODUCT_NOT_FOUND',
        message: `No product with id ${id}`,
      });
    expect(orders.asked).toEqual([]);
  });

  it('only the author edits a review; an edit recomputes the rating and records what changed', async () => {
    const review = await reviews.create(milk.id, { rating: 2, text: 'Thin' }, ada);
    data.sent.length = 0;
    const refused = await refusal(reviews.update(milk.id, review.id, { rating: 1 }, grace));
    expect(refused).toMatchObject({ status: 403, code: 'NOT_REVIEW_AUTHOR' });
    expect(
      await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id }),
    ).toMatchObject({
      rating: 2,
      text: 'Thin',
    });

    const edited = await reviews.update(milk.id, review.id, { rating: 5, text: 'Thin' }, ada);
    expect(edited).toMatchObject({ rating: 5, text: 'Thin' });
    expect(
      await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id }),
    ).toMatchObject({
      rating: 5,
      text: 'Thin',
    });
    expect(await stored(milk.id)).toMatchObject({ ratingAverage: 5, ratingCount: 1 });
    expect(audits()).toEqual([
      expect.objectContaining({
        type: 'review_updated',
        payload: {
          changes: { rating: { from: 2, to: 5 } },
          productId: milk.id,
          ratingAverage: 5,
          ratingCount: 1,
        },
      }),
    ]);

    await reviews.update(milk.id, review.id, { text: 'Rich' }, ada);
    expect(audits().at(-1)?.payload).toMatchObject({
      changes: { text: { from: 'Thin', to: 'Rich' } },
    });
  });

  it('an edit that changes nothing writes nothing and sends nothing', async () => {
    const review = await reviews.create(milk.id, { rating: 3, text: 'Fine' }, ada);
    const before = await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id });
    data.sent.length = 0;
    const same = await reviews.update(milk.id, review.id, { rating: 3, text: 'Fine' }, ada);
    expect(same).toMatchObject({ rating: 3, text: 'Fine' });
    expect(await reviews.update(milk.id, review.id, {}, ada)).toMatchObject({ rating: 3 });
    expect(data.sent).toEqual([]);
    expect((await stored(milk.id)).revision).toBe(2);
    expect(
      (await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id })).updatedAt,
    ).toEqual(before.updatedAt);
  });

  it('a review of another product, or none, is not found', async () => {
    const bread = await product('Rye bread');
    orders.buys(ada, bread);
    const review = await reviews.create(bread.id, { rating: 3, text: 'x' }, ada);
    for (const call of [
      reviews.update(milk.id, review.id, { rating: 1 }, ada),
      reviews.hide(milk.id, review.id, 'spam', manager),
      reviews.update(bread.id, randomUUID(), { rating: 1 }, ada),
    ])
      expect(await refusal(call)).toMatchObject({ status: 404, code: 'REVIEW_NOT_FOUND' });
  });

  it('hiding keeps the reason and who hid it, leaves the page and the rating; hiding again changes nothing', async () => {
    const review = await reviews.create(milk.id, { rating: 1, text: 'Buy elsewhere!' }, ada);
    await reviews.create(milk.id, { rating: 5, text: 'Lovely' }, grace);
    data.sent.length = 0;
    const hidden = await reviews.hide(milk.id, review.id, 'Advertising', manager);
    expect(hidden).toMatchObject({
      hidden: true,
      hiddenReason: 'Advertising',
      hiddenBy: 'manager',
    });
    expect(
      await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id }),
    ).toMatchObject({
      hidden: true,
      hiddenReason: 'Advertising',
      hiddenBy: 'manager',
    });
    expect(audits()).toEqual([
      {
        type: 'review_hidden',
        actor: { userId: manager.userId, username: 'manager' },
        subject: { kind: 'review', id: review.id, name: 'Whole milk' },
        payload: {
          reason: 'Advertising',
          author: 'ada',
          productId: milk.id,
          ratingAverage: 5,
          ratingCount: 1,
        },
      },
    ]);
    const page = await reviews.list(milk.id, 1, 10, false);
    expect(page.items.map((r) => r.username)).toEqual(['grace']);
    expect(page.total).toBe(1);
    expect((await reviews.list(milk.id, 1, 10, true)).total).toBe(2);

    data.sent.length = 0;
    await reviews.hide(milk.id, review.id, 'Again', manager);
    expect(data.sent).toEqual([]);
    expect(
      await data.db.getRepository(ProductReview).findOneByOrFail({ id: review.id }),
    ).toMatchObject({
      hiddenReason: 'Advertising',
    });
  });

  it('lists newest first, a page at a time', async () => {
    await reviews.create(milk.id, { rating: 5, text: 'first' }, ada);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reviews.create(milk.id, { rating: 4, text: 'second' }, grace);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reviews.create(milk.id, { rating: 3, text: 'third' }, linus);
    const first = await reviews.list(milk.id, 1, 2, false);
    expect(first.items.map((r) => r.text)).toEqual(['third', 'second']);
    expect(first.total).toBe(3);
    expect(first.product.id).toBe(milk.id);
    expect((await reviews.list(milk.id, 2, 2, false)).items.map((r) => r.text)).toEqual(['first']);
  });
});
