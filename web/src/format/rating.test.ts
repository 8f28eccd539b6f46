import { describe, expect, it } from 'vitest';
import { ratingStars, ratingSummary } from './rating.format';

describe('ratings in words and stars', () => {
  it('says there are no reviews when the store sends no average or a count of zero', () => {
    expect(ratingSummary(null, 0)).toBe('No reviews yet');
    expect(ratingSummary(4, 0)).toBe('No reviews yet');
  });

  it('gives the average to one decimal and the count, singular for one review', () => {
    expect(ratingSummary(4, 1)).toBe('4.0 out of 5 from 1 review');
    expect(ratingSummary(4.67, 3)).toBe('4.7 out of 5 from 3 reviews');
  });

  it('rounds an average to whole stars, always five in all', () => {
    expect(ratingStars(5)).toBe('★★★★★');
    expect(ratingStars(4.5)).toBe('★★★★★');
    expect(ratingStars(4.49)).toBe('★★★★☆');
    expect(ratingStars(1)).toBe('★☆☆☆☆');
    expect(ratingStars(7)).toBe('★★★★★');
  });
});
