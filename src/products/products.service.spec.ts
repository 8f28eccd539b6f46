import { LoggingMessages, type NewAuditEvent } from '@mfm/contracts/logging.contract';
import { SearchMessages, type ProductDocument } from '@mfm/contracts/search.contract';
import type { AppError } from '@mfm/platform/errors/error-body';
import { refusal } from '@mfm/platform/testing/refusal';
import { createValidationPipe } from '@mfm/platform/validation/validation.pipe';
import { CreateProductDto } from './dto/create-product.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './entities/product.entity';
import { delivered, useProductsServiceDatabase } from './products-test-database.spec-helper';
import { ProductsService } from './products.service';

const manager = { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' };

/** A body as the HTTP layer validates it (the application's validation pipe). */
const validated = <T>(metatype: new () => T, body: unknown): Promise<T> =>
  createValidationPipe().transform(body, { type: 'body', metatype }) as Promise<T>;

const MILK = {
  name: 'Whole milk 1 l',
  description: 'Fresh',
  category: 'dairy',
  priceCents: 129,
  stock: 10,
};

describe('ProductsService (real SQLite, in memory)', () => {
  const data = useProductsServiceDatabase();
  let products: ProductsService;

  beforeEach(async () => {
    products = new ProductsService(data.db.getRepository(Product), data.outbox);
  });

  const create = (fields: Partial<CreateProductDto> = {}) =>
    products.create({ ...MILK, ...fields }, manager);
  const update = (id: string, fields: Partial<UpdateProductDto>, version?: number) =>
    products.update(id, fields, version, manager);
  const stored = (id: string) => data.db.getRepository(Product).findOneByOrFail({ id });
  const audits = () =>
    delivered<NewAuditEvent>(data.sent, 'logging', LoggingMessages.record.pattern);
  const documents = () =>
    delivered<ProductDocument>(data.sent, 'search', SearchMessages.productChanged.pattern);

  describe('names', () => {
    it('a new product gets version 1, its audit event and its search document', async () => {
      const milk = await create();
      expect(await stored(milk.id)).toMatchObject({
        ...MILK,
        nameKey: 'whole milk 1 l',
        archived: false,
        version: 1,
        revision: 1,
        ratingAverage: null,
        ratingCount: 0,
      });
      expect(audits()).toEqual([
        expect.objectContaining({
          type: 'product_created',
          actor: manager,
          subject: { kind: 'product', id: milk.id, name: MILK.name },
          payload: { name: MILK.name, category: 'dairy', priceCents: 129, stock: 10 },
        }),
      ]);
      expect(documents()).toEqual([
        expect.objectContaining({ id: milk.id, name: MILK.name, version: 1, archived: false }),
      ]);
    });

    it('is unique among live products, whatever the case and surrounding spaces', async () => {
      await create();
      const refused = await refusal(create({ name: '  WHOLE milk 1 L ' }));
      expect(refused).toEqual(
        expect.objectContaining({
          status: 409,
          code: 'PRODUCT_NAME_TAKEN',
          message: 'A product named "WHOLE milk 1 L" already exists',
          details: { field: 'name' },
        }),
      );
      expect(await data.db.getRepository(Product).count()).toBe(1);
    });

    it('an archived product frees its name', async () => {
      const old = await create();
      await products.archive(old.id, undefined, manager);
      const again = await create();
      expect(again.id).not.toBe(old.id);
      expect(await data.db.getRepository(Product).countBy({ nameKey: 'whole milk 1 l' })).toBe(2);
    });

    it('a rename to a name in use is refused; a change of case of its own name is not', async () => {
      await create({ name: 'Rye bread' });
      const milk = await create();
      expect(await refusal(update(milk.id, { name: 'rye BREAD' }))).toMatchObject({
        status: 409,
        code: 'PRODUCT_NAME_TAKEN',
      });
      expect((await stored(milk.id)).name).toBe(MILK.name);
      const renamed = await update(milk.id, { name: 'WHOLE MILK 1 L' });
      expect(renamed).toMatchObject({ name: 'WHOLE MILK 1 L', nameKey: 'whole milk 1 l' });
      const moved = await update(milk.id, { name: 'Skimmed milk' });
      expect(await stored(milk.id)).toMatchObject({
        name: 'Skimmed milk',
        nameKey: 'skimmed milk',
        version: 3,
      });
      expect(moved.version).toBe(3);
    });
  });

  describe('versions', () => {
    it('an edit bumps the version and the revision, records what changed, and keeps the rest', async () => {
      const milk = await create();
      await data.db
        .getRepository(Product)
        .update({ id: milk.id }, { ratingAverage: 4.5, ratingCount: 2 });
      data.sent.length = 0;
      const at = new Date('2026-02-01T10:00:00.000Z');
      const updated = await products.update(
        milk.id,
        { priceCents: 149, stock: 10, description: 'Fresh' },
        1,
        manager,
        at,
      );
      expect(updated).toMatchObject({ priceCents: 149, version: 2, revision: 2, updatedAt: at });
      expect(await stored(milk.id)).toMatchObject({
        ...MILK,
        priceCents: 149,
        version: 2,
        revision: 2,
        // The rating is the reviews': an edit does not write back what it read.
        ratingAverage: 4.5,
        ratingCount: 2,
      });
      expect(audits()).toEqual([
        expect.objectContaining({
          type: 'product_updated',
          occurredAt: at.toISOString(),
          actor: manager,
          subject: { kind: 'product', id: milk.id, name: MILK.name },
          payload: { changes: { priceCents: { from: 129, to: 149 } }, version: 2 },
        }),
      ]);
      expect(documents()).toEqual([
        expect.objectContaining({ id: milk.id, priceCents: 149, version: 2 }),
      ]);
    });

    it('an edit naming an older version is refused with the current one, and changes nothing', async () => {
      const milk = await create();
      await update(milk.id, { priceCents: 139 }, 1);
      data.sent.length = 0;
      const refused = await refusal(update(milk.id, { priceCents: 149 }, 1));
      expect(refused).toEqual(
        expect.objectContaining({
          status: 409,
          code: 'VERSION_CONFLICT',
          message: 'The product changed since version 1; it is now at version 2',
          details: { currentVersion: 2 },
        }),
      );
      expect(await stored(milk.id)).toMatchObject({ priceCents: 139, version: 2 });
      expect(data.sent).toEqual([]);
      expect(await update(milk.id, { priceCents: 149 }, 2)).toMatchObject({ version: 3 });
      // Without a version the edit applies to whatever is current.
      expect(await update(milk.id, { priceCents: 159 })).toMatchObject({ version: 4 });
    });

    it('of two edits of the same version at once, one wins and the other is refused', async () => {
      const milk = await create();
      const results = await Promise.allSettled([
        update(milk.id, { priceCents: 200 }, 1),
        update(milk.id, { stock: 3 }, 1),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [lost] = results.filter((r) => r.status === 'rejected');
      expect((lost.reason as AppError).getResponse()).toMatchObject({
        code: 'VERSION_CONFLICT',
      });
      expect((await stored(milk.id)).version).toBe(2);
    });

    it('a row changed under an edit (by another process) fails the edit instead of overwriting', async () => {
      const milk = await create();
      // Another process moved the row on between this edit's read and its write: the write,
      // conditional on the version read, finds no row (as SQLite's RAISE(IGNORE) makes it).
      await data.db.query(`CREATE TRIGGER other_writer BEFORE UPDATE ON product
        WHEN NEW.priceCents = 999 BEGIN SELECT RAISE(IGNORE); END`);
      data.sent.length = 0;
      const refused = await refusal(update(milk.id, { priceCents: 999 }));
      expect(refused).toMatchObject({
        status: 409,
        code: 'VERSION_CONFLICT',
        message: 'The product changed while it was being edited; reload and retry',
      });
      expect(await stored(milk.id)).toMatchObject({ priceCents: 129, version: 1 });
      expect(data.sent).toEqual([]);
    });

    it('an edit that changes nothing keeps the version and sends nothing', async () => {
      const milk = await create();
      data.sent.length = 0;
      const same = await update(milk.id, { ...MILK, name: MILK.name }, 1);
      expect(same.version).toBe(1);
      expect(await stored(milk.id)).toMatchObject({ version: 1, revision: 1 });
      expect(data.sent).toEqual([]);
    });

    it('archiving bumps the version, hides the product and is audited; an archived product is gone', async () => {
      const milk = await create();
      expect(await refusal(products.archive(milk.id, 3, manager))).toMatchObject({
        status: 409,
        code: 'VERSION_CONFLICT',
      });
      data.sent.length = 0;
      const archived = await products.archive(milk.id, 1, manager);
      expect(archived).toMatchObject({ archived: true, version: 2, revision: 2 });
      expect(await stored(milk.id)).toMatchObject({ archived: true, version: 2 });
      expect(audits()).toEqual([
        expect.objectContaining({ type: 'product_archived', payload: { version: 2 } }),
      ]);
      expect(documents()).toEqual([expect.objectContaining({ id: milk.id, archived: true })]);
      for (const call of [
        products.get(milk.id),
        update(milk.id, { stock: 1 }),
        products.archive(milk.id, undefined, manager),
      ])
        expect(await refusal(call)).toMatchObject({
          status: 404,
          code: 'PRODUCT_NOT_FOUND',
          message: `No product with id ${milk.id}`,
        });
      expect(await products.facts({ ids: [milk.id] })).toEqual([
        expect.objectContaining({ id: milk.id, archived: true, version: 2 }),
      ]);
    });
  });

  describe('validation (the rules of the HTTP body)', () => {
    const fieldsOf = async (metatype: new () => object, body: object) => {
      const refused = await refusal(validated(metatype, body));
      expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      return (refused.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    };

    it('accepts a valid product, trimming its name', async () => {
      const dto = await validated(CreateProductDto, { ...MILK, name: '  Oat milk  ' });
      expect(dto).toMatchObject({ ...MILK, name: 'Oat milk' });
    });

    it.each([
      ['an empty name', { name: '   ' }, 'name'],
      ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name'],
      ['a description of 2001 characters', { description: 'x'.repeat(2001) }, 'description'],
      ['a category that is no slug', { category: 'Dairy Products' }, 'category'],
      ['a category of 51 characters', { category: 'a'.repeat(51) }, 'category'],
      ['a price of 0', { priceCents: 0 }, 'priceCents'],
      ['a price above 100,000.00', { priceCents: 10_000_001 }, 'priceCents'],
      ['a price with a fraction of a cent', { priceCents: 1.5 }, 'priceCents'],
      ['negative stock', { stock: -1 }, 'stock'],
      ['stock above the maximum', { stock: 1_000_001 }, 'stock'],
      ['an unknown field', { colour: 'white' }, 'colour'],
    ])('refuses %s, naming the field', async (_what, fields, field) => {
      expect(await fieldsOf(CreateProductDto, { ...MILK, ...fields })).toEqual([field]);
    });

    it('accepts the limits themselves', async () => {
      await expect(
        validated(CreateProductDto, {
          ...MILK,
          name: 'x'.repeat(100),
          category: 'a'.repeat(50),
          priceCents: 10_000_000,
          stock: 1_000_000,
        }),
      ).resolves.toBeDefined();
      await expect(
        validated(CreateProductDto, { ...MILK, priceCents: 1, stock: 0 }),
      ).resolves.toBeDefined();
    });

    it('an edit may send any subset, never null, and a version of at least 1', async () => {
      await expect(validated(UpdateProductDto, { stock: 3 })).resolves.toEqual({ stock: 3 });
      expect(await fieldsOf(UpdateProductDto, { name: null })).toEqual(['name']);
      expect(await fieldsOf(UpdateProductDto, { priceCents: null })).toEqual(['priceCents']);
      expect(await fieldsOf(UpdateProductDto, { version: 0 })).toEqual(['version']);
      expect(await fieldsOf(UpdateProductDto, { version: null })).toEqual(['version']);
    });
  });
});
