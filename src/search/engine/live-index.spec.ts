import type { IndexQuery, IndexedProduct } from '../search-index';
import { LiveIndex } from './live-index';

const product = (n: number, name: string, revision = 1): IndexedProduct => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  description: null,
  category: 'pantry',
  priceCents: 100,
  stock: 1,
  archived: false,
  revision,
  createdAt: '2026-01-01T00:00:00.000Z',
  ratingAverage: null,
  ratingCount: 0,
});
const all: IndexQuery = { sort: 'name', page: 1, limit: 50 };
const names = (index: LiveIndex) => index.search(all).items.map((hit) => hit.name);

/** Pages handed out one at a time, so a test can act while a load is half-way. */
function gate(pages: IndexedProduct[][]) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  async function* read() {
    yield pages[0];
    await opened;
    yield* pages.slice(1);
  }
  return { read: read(), open };
}

describe('the live in-memory index', () => {
  it('answers from the old index during a load, and keeps the changes applied meanwhile', async () => {
    const index = new LiveIndex();
    index.put([product(1, 'Old apples')]);
    const pages = gate([[product(1, 'Apples', 2)], [product(2, 'Bread', 1)]]);
    const loading = index.load(pages.read);
    await new Promise((resolve) => setImmediate(resolve));
    expect(names(index)).toEqual(['Old apples']);
    // An edit committed during the load: newer than what the load read.
    index.put([product(2, 'Brown bread', 2), product(3, 'Cheese', 1)]);
    pages.open();
    await loading;
    expect(names(index)).toEqual(['Apples', 'Brown bread', 'Cheese']);
  });

  it('drops what a load read before a clear that came during it', async () => {
    const index = new LiveIndex();
    const pages = gate([[product(1, 'Apples')], [product(2, 'Bread')]]);
    const loading = index.load(pages.read);
    await new Promise((resolve) => setImmediate(resolve));
    index.clear();
    index.put([product(3, 'Cheese')]);
    pages.open();
    await loading;
    expect(names(index)).toEqual(['Cheese']);
  });
});
