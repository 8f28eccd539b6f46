import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

/**
 * A number written with at most `places` decimals. class-validator's own `maxDecimalPlaces` throws
 * on numbers JavaScript prints in exponent form (`1e-9`), which would answer 500 instead of 400.
 */
export function MaxDecimalPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          Number(value.toFixed(places)) === value,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a number with at most $constraint1 decimal places`,
          options,
        ),
      },
    },
    options,
  );
}
