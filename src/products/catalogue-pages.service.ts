import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { booleanLiteral, dialectOf } from '@mfm/platform/database/dialect';
import { RawParams, findRaw } from '@mfm/platform/database/raw-rows';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { openCursor, PageKey, sealCursor } from '@mfm/platform/http/page-cursor';
import { ListProductsQuery } from './dto/list-products.query';
import { Product } from './entities/product.entity';

const SORT_COLUMNS = {
  name: 'nameKey',
  price: 'priceCents',
  updatedAt: 'updatedAt',
  rating: 'ratingAverage',
} as const;

type Key = PageKey;

/** A page's SELECT of products (findRaw): what follows the table name, and its parameters. */
export interface RawQuery {
  rest: string;
  values: unknown[];
}

/**
 * One part of the order: rows matching `where`, ordered by `column` (then id). The rating sort has
 * two, rated products then unrated ones, so both directions keep unrated products last and each
 * part reads one index in order.
 */
interface Segment {
  where?: string;
  column?: string;
}

/** A count is kept this long on PostgreSQL, where other replicas' writes are not seen here. */
const SHARED_COUNT_TTL_MS = 1000;
const COUNT_CACHE_SIZE = 500;

export interface CataloguePage {
  items: Product[];
  total: number;
  nextCursor: string | null;
}

/**
 * The catalogue's pages. Each sort reads an index in page order (see the migration
 * ProductsCatalogueSorts), so a page costs its own rows, not a sort of the whole category. Page
 * numbers work as offsets; the `nextCursor` of a page lets the next one start right after its last
 * product instead (keyset), which keeps deep pages as cheap as the first. The total is counted once
 * per filter and kept until the catalogue changes.
 */
@Injectable()
export class CataloguePages {
  private readonly counts = new Map<
    string,
    { writes: number; at: number; total: number; rated: number }
  >();
  private readonly shared: boolean;

  constructor(
    @InjectRepository(Product, 'products') private readonly products: Repository<Product>,
    @Inject(transactionRunnerToken('products')) private readonly tx: TransactionRunner,
  ) {
    this.shared = dialectOf(products.manager) === 'postgres';
  }

  async list(query: ListProductsQuery): Promise<CataloguePage> {
    const fingerprint = JSON.stringify([
      query.category ?? null,
      query.minPrice ?? null,
      query.maxPrice ?? null,
      query.inStock ?? null,
      query.minRating ?? null,
      query.sort,
      query.order,
      query.limit,
    ]);
    const key =
      query.cursor !== undefined ? openCursor(query.cursor, query.page, fingerprint) : undefined;
    const { total, rated } = await this.count(query);
    const items = await this.items(query, rated, key);
    const last = items[items.length - 1];
    const more = last !== undefined && (query.page - 1) * query.limit + items.length < total;
    return {
      items,
      total,
      nextCursor: more ? sealCursor(query.page + 1, fingerprint, keyOf(query, last)) : null,
    };
  }

  /** The queries a page runs (one per segment it reads, `limit` rows each): for the plan test. */
  pageQueries(query: ListProductsQuery, limit: number, key?: Key): RawQuery[] {
    return this.segments(query).map((segment, i) =>
      this.segmentQuery(query, segment, limit, 0, i === 0 ? key : undefined),
    );
  }

  private async items(query: ListProductsQuery, rated: number, key?: Key): Promise<Product[]> {
    const [first, second] = this.segments(query);
    const offset = key ? 0 : (query.page - 1) * query.limit;
    if (!second) return this.read(this.segmentQuery(query, first, query.limit, offset, key));
    // Rating: rated products first, then unrated ones.
    let items: Product[] = [];
    const inUnrated = key ? key[0] === null : offset >= rated;
    if (!inUnrated)
      items = await this.read(this.segmentQuery(query, first, query.limit, offset, key));
    if (items.length < query.limit) {
      const rest = this.segmentQuery(
        query,
        second,
        query.limit - items.length,
        !key && inUnrated ? offset - rated : 0,
        inUnrated ? key : undefined,
      );
      items.push(...(await this.read(rest)));
    }
    return items;
  }

  private read({ rest, values }: RawQuery): Promise<Product[]> {
    return findRaw(this.products, rest, values);
  }

  private segments(query: ListProductsQuery): Segment[] {
    if (query.sort !== 'rating') return [{ column: SORT_COLUMNS[query.sort] }];
    return [
      { where: '"ratingAverage" IS NOT NULL', column: 'ratingAverage' },
      { where: '"ratingAverage" IS NULL' },
    ];
  }

  /**
   * The filters' conditions. Raw SQL whose text depends only on which filters are set, values as
   * parameters: the driver's prepared-statement cache serves every page of every category, where
   * a query builder would inline numbers and offsets and make each page a new statement.
   */
  private filtered(query: ListProductsQuery, params: RawParams): string[] {
    const where = [`"archived" = ${booleanLiteral(this.products.manager, false)}`];
    if (query.category) where.push(`"category" = ${params.add(query.category)}`);
    if (query.minPrice !== undefined) where.push(`"priceCents" >= ${params.add(query.minPrice)}`);
    if (query.maxPrice !== undefined) where.push(`"priceCents" <= ${params.add(query.maxPrice)}`);
    if (query.inStock !== undefined) where.push(query.inStock ? '"stock" > 0' : '"stock" = 0');
    if (query.minRating !== undefined)
      where.push(`"ratingAverage" >= ${params.add(query.minRating)}`);
    return where;
  }

  private segmentQuery(
    query: ListProductsQuery,
    segment: Segment,
    limit: number,
    offset: number,
    key?: Key,
  ): RawQuery {
    const params = new RawParams(this.products);
    const where = this.filtered(query, params);
    if (segment.where) where.push(segment.where);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const after = direction === 'ASC' ? '>' : '<';
    if (key && segment.column) {
      const value =
        segment.column === 'updatedAt'
          ? params.column('updatedAt', new Date(key[0] as string))
          : params.add(key[0]);
      where.push(`("${segment.column}", "id") ${after} (${value}, ${params.add(key[1])})`);
    } else if (key) {
      where.push(`"id" ${after} ${params.add(key[1])}`);
    }
    const order = segment.column
      ? `"${segment.column}" ${direction}, "id" ${direction}`
      : `"id" ${direction}`;
    const rest = `WHERE ${where.join(' AND ')}
      ORDER BY ${order} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    return { rest, values: params.values };
  }

  /** Total matches and rated matches (for the rating sort), counted once per catalogue state. */
  private async count(query: ListProductsQuery): Promise<{ total: number; rated: number }> {
    // The counts depend on the filters only, not on sort, order or page size.
    const filterKey = JSON.stringify([
      query.category,
      query.minPrice,
      query.maxPrice,
      query.inStock,
      query.minRating,
    ]);
    // Read before counting: a write that ends meanwhile makes this count stale at once.
    const writes = this.tx.writes;
    const now = Date.now();
    const kept = this.counts.get(filterKey);
    if (kept && kept.writes === writes && (!this.shared || now - kept.at < SHARED_COUNT_TTL_MS))
      return kept;
    const params = new RawParams(this.products);
    const [row] = await this.products.query<
      Array<{ total: number | string; rated: number | string }>
    >(
      `SELECT COUNT(*) AS "total", COUNT("ratingAverage") AS "rated" FROM "product"
       WHERE ${this.filtered(query, params).join(' AND ')}`,
      params.values,
    );
    const counted = {
      writes,
      at: now,
      total: Number(row?.total ?? 0),
      rated: Number(row?.rated ?? 0),
    };
    this.counts.delete(filterKey);
    this.counts.set(filterKey, counted);
    if (this.counts.size > COUNT_CACHE_SIZE)
      this.counts.delete(this.counts.keys().next().value as string);
    return counted;
  }
}

function keyOf(query: ListProductsQuery, product: Product): Key {
  const column = SORT_COLUMNS[query.sort];
  const value = product[column];
  if (value instanceof Date) return [value.toISOString(), product.id];
  return [value ?? null, product.id];
}
