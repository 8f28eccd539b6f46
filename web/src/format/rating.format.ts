/** A product's visible reviews in words: "4.5 out of 5 from 12 reviews", or none yet. */
export function ratingSummary(average: number | null, count: number): string {
  if (average === null || count === 0) return 'No reviews yet';
  return `${average.toFixed(1)} out of 5 from ${count} ${count === 1 ? 'review' : 'reviews'}`;
}

/** Stars for a rating (1–5, or an average), rounded to whole stars: "★★★★☆". */
export function ratingStars(rating: number): string {
  const full = Math.min(5, Math.max(0, Math.round(rating)));
  return `${'★'.repeat(full)}${'☆'.repeat(5 - full)}`;
}
