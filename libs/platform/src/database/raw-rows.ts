import type { ObjectLiteral, Repository } from 'typeorm';
import { placeholder } from './dialect';

/**
 * An entity from a row a raw query read (every column, by its database name), converted as
 * TypeORM converts what it reads (dates, booleans, JSON). Hot reads use raw SQL with stable text,
 * so the driver's prepared-statement cache serves them, instead of building a query per call.
 */
export function hydrate<T extends ObjectLiteral>(
  repository: Repository<T>,
  row: Record<string, unknown>,
): T {
  const driver = repository.manager.connection.driver;
  const entity = repository.create();
  for (const column of repository.metadata.columns)
    column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}

/** Every column of the entity's table, quoted, for a raw SELECT that hydrate() reads back. */
export function selectColumns(repository: Repository<ObjectLiteral>, alias?: string): string {
  return repository.metadata.columns
    .map((column) => `${alias ? `${alias}.` : ''}"${column.databaseName}"`)
    .join(', ');
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
