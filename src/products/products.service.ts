import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import type { GetProductsRequest, ProductFacts } from '@mfm/contracts/products.contract';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import { booleanLiteral, placeholder } from '@mfm/platform/database/dialect';
import { RawParams, findOneRaw, findRaw, updateRaw } from '@mfm/platform/database/raw-rows';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { SearchMessages } from '@mfm/contracts/search.contract';
import type { ListProductsPageReply } from '@mfm/contracts/products.contract';
import { toDocument } from './product-document';
import { CreateProductDto } from './dto/create-product.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './entities/product.entity';

const EDITABLE = ['name', 'description', 'category', 'priceCents', 'stock'] as const;

const notFound = (id: string) => ProductsErrors.PRODUCT_NOT_FOUND.error({ id });
const nameKey = (name: string) => name.trim().toLowerCase();

/** The catalogue: public reads, and employee edits that each commit with their audit event. */
@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product, 'products') private readonly products: Repository<Product>,
    @Inject(outboxToken('products')) private readonly outbox: Outbox,
  ) {}

  /** A live product (archived ones are hidden from the catalogue). */
  async get(id: string): Promise<Product> {
    // The hottest read: one cached prepared statement instead of building a query per call.
    this.liveById ??= `"id" = ${placeholder(this.products.manager, 1)} AND "archived" = ${booleanLiteral(this.products.manager, false)}`;
    const product = await findOneRaw(this.products, this.liveById, [id]);
    if (!product) throw notFound(id);
    return product;
  }

  private liveById?: string;

  /** Authoritative facts for other modules, archived products included and flagged. */
  async facts(request: GetProductsRequest): Promise<ProductFacts[]> {
    const qb = this.products.createQueryBuilder('p');
    if (request.ids !== undefined) {
      if (request.ids.length === 0) return [];
      qb.where('p.id IN (:...ids)', { ids: request.ids });
    } else {
      const keys = (request.names ?? []).map(nameKey);
      if (keys.length === 0) return [];
      // Archived products too, so "archived IN (false, true)": with it the lookup reads the
      // (archived, nameKey) index; on nameKey alone SQLite scanned the whole catalogue (the live
      // names' unique index is partial and does not serve it).
      qb.where('p.archived IN (:...archived) AND p.nameKey IN (:...keys)', {
        archived: [false, true],
        keys,
      });
    }
    const rows = await qb.orderBy('p.archived', 'ASC').getMany();
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      category: p.category,
      priceCents: p.priceCents,
      stock: p.stock,
      archived: Boolean(p.archived),
      version: p.version,
      updatedAt: new Date(p.updatedAt).toISOString(),
    }));
  }

  create(input: CreateProductDto, actor: AuditActor): Promise<Product> {
    return this.outbox.write(async (manager, out) => {
      await this.assertNameFree(manager, input.name);
      return this.insertNew(manager, out, input, actor);
    });
  }

  /**
   * A new product with its audit event and its search document, inside the caller's transaction.
   * `actor` absent: created by the system (the demo seed), which also dates its catalogue (`at`).
   */
  async insertNew(
    manager: EntityManager,
    out: OutboxWriter,
    input: CreateProductDto,
    actor?: AuditActor,
    at: Date = new Date(),
    id: string = randomUUID(),
  ): Promise<Product> {
    const now = at;
    const product: Product = {
      id,
      name: input.name,
      nameKey: nameKey(input.name),
      description: input.description ?? null,
      category: input.category,
      priceCents: input.priceCents,
      stock: input.stock,
      archived: false,
      version: 1,
      revision: 1,
      ratingAverage: null,
      ratingCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    await manager.insert(Product, product);
    await out.send(SearchMessages.productChanged, toDocument(product));
    await out.audit({
      type: 'product_created',
      occurredAt: now.toISOString(),
      actor,
      subject: { kind: 'product', id: product.id, name: product.name },
      payload: {
        name: product.name,
        category: product.category,
        priceCents: product.priceCents,
        stock: product.stock,
        ...(actor ? {} : { seed: true }),
      },
    });
    return product;
  }

  /** `at`: when the change happened; now, except in the demo store's history. */
  update(
    id: string,
    changes: UpdateProductDto,
    expectedVersion: number | undefined,
    actor: AuditActor,
    at: Date = new Date(),
  ): Promise<Product> {
    return this.outbox.write(async (manager, out) => {
      const product = await this.liveForUpdate(manager, id, expectedVersion);
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      for (const field of EDITABLE) {
        const next = changes[field];
        if (next !== undefined && next !== product[field])
          diff[field] = { from: product[field], to: next };
      }
      if (Object.keys(diff).length === 0) return product;
      if (diff.name && nameKey(changes.name as string) !== product.nameKey) {
        await this.assertNameFree(manager, changes.name as string);
      }
      const updated: Product = {
        ...product,
        ...Object.fromEntries(Object.entries(diff).map(([field, change]) => [field, change.to])),
        nameKey: nameKey(changes.name ?? product.name),
        version: product.version + 1,
        revision: product.revision + 1,
        updatedAt: at,
      };
      await this.saveVersioned(manager, product, updated);
      await this.recordChange(out, 'product_updated', updated, actor, { changes: diff });
      return updated;
    });
  }

  archive(id: string, expectedVersion: number | undefined, actor: AuditActor): Promise<Product> {
    return this.outbox.write(async (manager, out) => {
      const product = await this.liveForUpdate(manager, id, expectedVersion);
      const archived: Product = {
        ...product,
        archived: true,
        version: product.version + 1,
        revision: product.revision + 1,
        updatedAt: new Date(),
      };
      await this.saveVersioned(manager, product, archived);
      await this.recordChange(out, 'product_archived', archived, actor, {});
      return archived;
    });
  }

  private async liveForUpdate(
    manager: EntityManager,
    id: string,
    expectedVersion: number | undefined,
  ): Promise<Product> {
    const product = await manager.findOneBy(Product, { id, archived: false });
    if (!product) throw notFound(id);
    if (expectedVersion !== undefined && expectedVersion !== product.version) {
      throw ProductsErrors.VERSION_CONFLICT.error(
        { expected: expectedVersion, current: product.version },
        {
          currentVersion: product.version,
        },
      );
    }
    return product;
  }

  /** The write only lands if nobody changed the row since it was read (any database, any process count). */
  private async saveVersioned(
    manager: EntityManager,
    before: Product,
    after: Product,
  ): Promise<void> {
    // Only the columns that change: each of the catalogue's sort indexes is rewritten only when
    // one of its columns is in the SET list, whatever the value. The rating is the reviews' to
    // change: an edit never writes back what it read of it.
    const { id, ratingAverage: _average, ratingCount: _count, ...fields } = after;
    const changed = Object.fromEntries(
      Object.entries(fields).filter(
        ([key, value]) => !sameValue(value, before[key as keyof Product]),
      ),
    ) as Partial<Product>;
    if ((await updateRaw(manager, Product, changed, { id, version: before.version })) !== 1) {
      throw ProductsErrors.EDITED_MEANWHILE.error();
    }
  }

  /** Every change tells the audit log who did what, and search what the product looks like now. */
  private async recordChange(
    out: OutboxWriter,
    type: string,
    product: Product,
    actor: AuditActor,
    payload: Record<string, unknown>,
  ) {
    await out.audit({
      type,
      occurredAt: new Date(product.updatedAt).toISOString(),
      actor,
      subject: { kind: 'product', id: product.id, name: product.name },
      payload: { ...payload, version: product.version },
    });
    await out.send(SearchMessages.productChanged, toDocument(product));
  }

  /** Every product, archived included, in id order: for read models that rebuild themselves. */
  async page(afterId: string | undefined, limit: number): Promise<ListProductsPageReply> {
    const params = new RawParams(this.products);
    const items = await findRaw(
      this.products,
      `${afterId ? `WHERE "id" > ${params.add(afterId)} ` : ''}ORDER BY "id" LIMIT ${params.add(limit)}`,
      params.values,
    );
    return {
      items: items.map(toDocument),
      nextAfterId: items.length === limit ? items[items.length - 1].id : null,
    };
  }

  private async assertNameFree(manager: EntityManager, name: string): Promise<void> {
    if (await manager.existsBy(Product, { nameKey: nameKey(name), archived: false })) {
      throw ProductsErrors.PRODUCT_NAME_TAKEN.error({ name: name.trim() }, { field: 'name' });
    }
  }
}

const sameValue = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
