import { ValidateIf } from 'class-validator';

/**
 * The field may be left out; when it is sent, it must be valid. Unlike `@IsOptional()`, an
 * explicit `null` is validated (and refused by the type check), so a PATCH cannot write null into
 * a column that must hold a value.
 */
export const Omittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
