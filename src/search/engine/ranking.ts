import type { SearchSort } from '../dto/search.query';
import type { ProductTable } from './product-table';

/** Negative when product `a` comes before product `b`. */
export type Order = (a: number, b: number) => number;

/**
 * The six sorts, each ending in the name order (lower-case name, then id), so every product has
 * one place and pages never overlap or skip.
 */
export function rankingOrder(
  sort: SearchSort,
  t: ProductTable,
  score: Float64Array,
  nameRank: Int32Array,
): Order {
  const byName: Order = (a, b) => nameRank[a] - nameRank[b];
  switch (sort) {
    case 'relevance':
      return (a, b) => score[b] - score[a] || byName(a, b);
    case 'price_asc':
      return (a, b) => t.price[a] - t.price[b] || byName(a, b);
    case 'price_desc':
      return (a, b) => t.price[b] - t.price[a] || byName(a, b);
    case 'name':
      return byName;
    case 'newest':
      return (a, b) => t.created[b] - t.created[a] || (t.ids[a] < t.ids[b] ? -1 : 1);
    case 'rating':
      // Rated products first, best average first, then the most reviewed.
      return (a, b) =>
        Number(t.ratingCount[a] === 0) - Number(t.ratingCount[b] === 0) ||
        (t.ratingCount[a] === 0 ? 0 : t.ratingAverage[b] - t.ratingAverage[a]) ||
        t.ratingCount[b] - t.ratingCount[a] ||
        byName(a, b);
  }
}

/**
 * The first `k` of `items` in `order`, sorted: a heap of the best k seen so far, whose root is
 * the worst of them, so most items cost one comparison. O(n log k) instead of sorting all n.
 */
export function topK(items: Uint32Array, k: number, order: Order): number[] {
  if (k <= 0 || items.length === 0) return [];
  const heap = new Uint32Array(Math.min(k, items.length));
  let size = 0;
  // Max-heap by `order`: the root is the item that would come last.
  const siftUp = (from: number) => {
    let i = from;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (order(heap[parent], item) >= 0) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  };
  const siftDown = (from: number) => {
    let i = from;
    const item = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && order(heap[child + 1], heap[child]) > 0) child++;
      if (order(heap[child], item) <= 0) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  };
  for (const item of items) {
    if (size < heap.length) {
      heap[size] = item;
      siftUp(size++);
    } else if (order(item, heap[0]) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return Array.from(heap.subarray(0, size)).sort(order);
}
