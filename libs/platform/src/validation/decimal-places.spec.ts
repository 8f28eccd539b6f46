import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MaxDecimalPlaces } from './decimal-places';

class Rating {
  @Type(() => Number)
  @MaxDecimalPlaces(1)
  minRating!: number;
}

const errorsFor = (raw: string) =>
  validateSync(plainToInstance(Rating, { minRating: raw })).map((e) => e.constraints);

describe('MaxDecimalPlaces', () => {
  it('takes whole numbers and one decimal', () => {
    for (const raw of ['4', '4.5', '0.1', '-2.5']) expect(errorsFor(raw)).toEqual([]);
  });

  it('refuses more decimals, exponent forms and non-numbers with a message naming the field', () => {
    for (const raw of ['4.55', '1e-9', '8e-323', 'NaN', 'Infinity', 'abc']) {
      expect(errorsFor(raw)).toEqual([
        { maxDecimalPlaces: 'minRating must be a number with at most 1 decimal places' },
      ]);
    }
  });
});
