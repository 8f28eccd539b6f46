import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { dialectOf } from '@mfm/platform/database/dialect';
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

  /** The queries a page runs (one per segment it reads): for the plan test. */
  pageQueries(query: ListProductsQuery, key?: Key): SelectQueryBuilder<Product>[] {
    return this.segments(query).map((segment, i) =>
      this.segmentQuery(query, segment, i === 0 ? key : undefined),
    );
  }

  private async items(query: ListProductsQuery, rated: number, key?: Key): Promise<Product[]> {
    const [first, second] = this.segments(query);
    if (!second) {
      const qb = this.segmentQuery(query, first, key);
      if (!key) qb.offset((query.page - 1) * query.limit);
      return qb.limit(query.limit).getMany();
    }
    // Rating: rated products first, then unrated ones.
    const offset = (query.page - 1) * query.limit;
    let items: Product[] = [];
    const inUnrated = key ? key[0] === null : offset >= rated;
    if (!inUnrated) {
      const qb = this.segmentQuery(query, first, key);
      if (!key) qb.offset(offset);
      items = await qb.limit(query.limit).getMany();
    }
    if (items.length < query.limit) {
      const qb = this.segmentQuery(query, second, inUnrated ? key : undefined);
      if (!key && inUnrated) qb.offset(offset - rated);
      items.push(...(await qb.limit(query.limit - items.length).getMany()));
    }
    return items;
  }

  private segments(query: ListProductsQuery): Segment[] {
    if (query.sort !== 'rating') return [{ column: SORT_COLUMNS[query.sort] }];
    return [
      { where: 'p.ratingAverage IS NOT NULL', column: 'ratingAverage' },
      { where: 'p.ratingAverage IS NULL' },
    ];
  }

  private filtered(query: ListProductsQuery): SelectQueryBuilder<Product> {
    const qb = this.products
      .createQueryBuilder('p')
      .where('p.archived = :archived', { archived: false });
    if (query.category) qb.andWhere('p.category = :category', { category: query.category });
    if (query.minPrice !== undefined)
      qb.andWhere('p.priceCents >= :minPrice', { minPrice: query.minPrice });
    if (query.maxPrice !== undefined)
      qb.andWhere('p.priceCents <= :maxPrice', { maxPrice: query.maxPrice });
    if (query.inStock !== undefined) qb.andWhere(query.inStock ? 'p.stock > 0' : 'p.stock = 0');
    if (query.minRating !== undefined)
      qb.andWhere('p.ratingAverage >= :minRating', { minRating: query.minRating });
    return qb;
  }

  private segmentQuery(
    query: ListProductsQuery,
    segment: Segment,
    key?: Key,
  ): SelectQueryBuilder<Product> {
    const qb = this.filtered(query);
    if (segment.where) qb.andWhere(segment.where);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const after = direction === 'ASC' ? '>' : '<';
    if (key && segment.column) {
      const value = segment.column === 'updatedAt' ? new Date(key[0] as string) : key[0];
      qb.andWhere(`(p.${segment.column}, p.id) ${after} (:afterValue, :afterId)`, {
        afterValue: value,
        afterId: key[1],
      });
    } else if (key) {
      qb.andWhere(`p.id ${after} :afterId`, { afterId: key[1] });
    }
    if (segment.column) qb.orderBy(`p.${segment.column}`, direction);
    return qb.addOrderBy('p.id', direction);
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
    const row = await this.filtered(query)
      .select('COUNT(*)', 'total')
      .addSelect('COUNT(p.ratingAverage)', 'rated')
      .getRawOne<{ total: number | string; rated: number | string }>();
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
