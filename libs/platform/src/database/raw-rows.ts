import type {
  EntityManager,
  EntityMetadata,
  EntityTarget,
  ObjectLiteral,
  Repository,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { placeholder } from './dialect';

/** Column types both drivers hand back as stored: a raw value needs no conversion. */
const PLAIN_TYPES = new Set<unknown>([
  'varchar',
  'character varying',
  'text',
  'integer',
  'int',
  String,
]);

/** What raw reads of one entity need, worked out once: its column list and each column's conversion. */
interface HydrationPlan {
  create: () => ObjectLiteral;
  columns: Array<{ name: string; property: string; convert?: ColumnMetadata }>;
  /** Every column, quoted, for a SELECT that hydrate() reads back. */
  columnList: string;
}

const plans = new WeakMap<EntityMetadata, HydrationPlan>();

function hydrationPlan(metadata: EntityMetadata): HydrationPlan {
  let plan = plans.get(metadata);
  if (!plan) {
    const target = metadata.target as new () => ObjectLiteral;
    plan = {
      create: () => new target(),
      columns: metadata.columns.map((column) => {
        const plain =
          PLAIN_TYPES.has(column.type) && !column.transformer && !column.embeddedMetadata;
        return {
          name: column.databaseName,
          property: column.propertyName,
          ...(!plain && { convert: column }),
        };
      }),
      columnList: metadata.columns.map((column) => `"${column.databaseName}"`).join(', '),
    };
    plans.set(metadata, plan);
  }
  return plan;
}

/**
 * An entity from a row a raw query read (every column, by its database name), converted as
 * TypeORM converts what it reads (dates, booleans, JSON, transformers). Hot reads use raw SQL
 * with stable text, so the driver's prepared-statement cache serves them, instead of building a
 * query per call; the columns' conversions are worked out once per entity.
 */
export function hydrate<T extends ObjectLiteral>(
  repository: Repository<T>,
  row: Record<string, unknown>,
): T {
  const driver = repository.manager.connection.driver;
  const plan = hydrationPlan(repository.metadata);
  const entity = plan.create() as Record<string, unknown>;
  for (const { name, property, convert } of plan.columns)
    entity[property] = convert ? driver.prepareHydratedValue(row[name], convert) : row[name];
  return entity as T;
}

/** Every column of the entity's table, quoted, for a raw SELECT that hydrate() reads back. */
export function selectColumns(repository: Repository<ObjectLiteral>): string {
  return hydrationPlan(repository.metadata).columnList;
}

/** The SELECT of every column findRaw runs: `rest` is what follows the table name. */
export function selectSql(repository: Repository<ObjectLiteral>, rest: string): string {
  return `SELECT ${selectColumns(repository)} FROM "${repository.metadata.tableName}" ${rest}`;
}

/**
 * The entities a raw SELECT of every column reads: `rest` is what follows the table name (WHERE,
 * ORDER BY, LIMIT), with placeholders from RawParams or `placeholder`.
 */
export async function findRaw<T extends ObjectLiteral>(
  repository: Repository<T>,
  rest: string,
  values: unknown[],
): Promise<T[]> {
  const rows = await repository.query<Array<Record<string, unknown>>>(
    selectSql(repository, rest),
    values,
  );
  return rows.map((row) => hydrate(repository, row));
}

/** The first entity matching a raw condition, or null: one prepared statement per condition text. */
export async function findOneRaw<T extends ObjectLiteral>(
  repository: Repository<T>,
  condition: string,
  values: unknown[],
): Promise<T | null> {
  const [first] = await findRaw(repository, `WHERE ${condition} LIMIT 1`, values);
  return first ?? null;
}

/**
 * Inserts rows with one raw INSERT, each value stored as TypeORM stores it (transformers, dates,
 * booleans, JSON); columns the rows leave out take their database defaults. TypeORM's own insert
 * reads every row back on SQLite when the entity has defaults or a creation date, one more
 * statement per insert. `suffix` follows the VALUES (e.g. `ON CONFLICT … RETURNING …`); returns
 * the rows a RETURNING clause gives.
 */
export async function insertRaw<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Array<Partial<T>>,
  suffix = '',
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((column) => column.propertyName in rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${columns
        .map((column) => {
          values.push(driver.preparePersistentValue(column.getEntityValue(row) ?? null, column));
          return placeholder(manager, values.length);
        })
        .join(', ')})`,
  );
  const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
  const result: unknown = await manager.query(
    `INSERT INTO "${metadata.tableName}" (${names}) VALUES ${tuples.join(', ')} ${suffix}`,
    values,
  );
  return Array.isArray(result) ? (result as Array<Record<string, unknown>>) : [];
}

/**
 * Collects the parameters of a raw query as it is written: each value gets the engine's next
 * placeholder (`?` or `$n`), so the SQL text stays the same whatever the values are.
 */
export class RawParams {
  readonly values: unknown[] = [];

  constructor(private readonly repository: Repository<ObjectLiteral>) {}

  /** The placeholder of a new parameter. */
  add(value: unknown): string {
    this.values.push(value);
    return placeholder(this.repository.manager, this.values.length);
  }

  /** The placeholder of a new parameter compared with `property`, stored as that column stores it. */
  column(property: string, value: unknown): string {
    const column = this.repository.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.repository.metadata.name} has no column ${property}`);
    return this.add(
      this.repository.manager.connection.driver.preparePersistentValue(value, column),
    );
  }

  /** A copy, to extend one query's parameters into another's (a count and its page). */
  clone(): RawParams {
    const copy = new RawParams(this.repository);
    copy.values.push(...this.values);
    return copy;
  }
}

/**
 * Runs a raw INSERT, UPDATE or DELETE with bound parameters and returns how many rows it changed.
 * TypeORM's update writes numbers into the SQL text on SQLite, so every new value (a price, a
 * quantity) was a new statement to prepare, and hot statements fell out of the driver's cache.
 */
export async function runRaw(
  manager: EntityManager,
  sql: string,
  values: unknown[],
): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    return (await runner.query(sql, values, true)).affected ?? 0;
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}

/**
 * Sets `set` on the rows whose properties equal `where`, each value bound and stored as TypeORM
 * stores it (transformers, dates, booleans, JSON): one statement text per pair of property lists,
 * whatever the values. Returns how many rows changed.
 */
export function updateRaw<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  set: Partial<T>,
  where: Partial<T>,
): Promise<number> {
  const repository = manager.getRepository(target);
  const params = new RawParams(repository);
  const assign = (entries: Partial<T>, separator: string) =>
    Object.keys(entries)
      .map((property) => {
        const value = params.column(property, entries[property] ?? null);
        return `"${repository.metadata.findColumnWithPropertyName(property)?.databaseName}" = ${value}`;
      })
      .join(separator);
  const sql = `UPDATE "${repository.metadata.tableName}" SET ${assign(set, ', ')} WHERE ${assign(where, ' AND ')}`;
  return runRaw(manager, sql, params.values);
}
