import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { categoryLabel, formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { Pager } from '../ui/pager.component';
import { useCategories } from './categories.hook';

const PAGE_SIZE = 20;
const SORTS = {
  name: 'Name',
  price: 'Price',
  updatedAt: 'Last changed',
} as const;
type Sort = keyof typeof SORTS;

export function ProductsAdminPage() {
  const [params, setParams] = useSearchParams();
  const category = params.get('category') || undefined;
  const stock = params.get('stock');
  const sort: Sort = (params.get('sort') as Sort | null) ?? 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = {
    category,
    inStock: stock === 'in' ? true : stock === 'out' ? false : undefined,
    sort: sort in SORTS ? sort : 'name',
    order,
    page,
    limit: PAGE_SIZE,
  } as const;
  const products = useQuery({
    queryKey: ['office', 'products', query],
    queryFn: () => storeApi.products(query),
    placeholderData: keepPreviousData,
  });
  const categories = useCategories();
  usePageTitle('Products');

  const change = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };

  return (
    <>
      <h1>Products</h1>
      <div className="actions">
        <Link className="button" to="/office/products/new">
          New product
        </Link>
      </div>
      <div className="filter-bar" role="group" aria-label="Filter products">
        <div className="field">
          <label htmlFor="filter-category">Category</label>
          <select
            id="filter-category"
            value={category ?? ''}
            onChange={(event) => change('category', event.target.value)}
          >
            <option value="">All</option>
            {categories.map((slug) => (
              <option key={slug} value={slug}>
                {categoryLabel(slug)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-stock">Stock</label>
          <select
            id="filter-stock"
            value={stock ?? ''}
            onChange={(event) => change('stock', event.target.value)}
          >
            <option value="">Any</option>
            <option value="in">In stock</option>
            <option value="out">Out of stock</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort by</label>
          <select
            id="filter-sort"
            value={`${sort}:${order}`}
            onChange={(event) => {
              const [nextSort, nextOrder] = event.target.value.split(':');
              const next = new URLSearchParams(params);
              next.set('sort', nextSort ?? 'name');
              next.set('order', nextOrder ?? 'asc');
              next.delete('page');
              setParams(next);
            }}
          >
            {(Object.keys(SORTS) as Sort[]).flatMap((key) =>
              (['asc', 'desc'] as const).map((direction) => (
                <option key={`${key}:${direction}`} value={`${key}:${direction}`}>
                  {SORTS[key]} {direction === 'asc' ? '↑' : '↓'}
                </option>
              )),
            )}
          </select>
        </div>
      </div>
      <ErrorNotice error={products.error} />
      {products.isPending && <Loading label="Loading products…" />}
      {products.data && (
        <div className="table-wrap">
          <table>
            <caption>
              {products.data.total} product{products.data.total === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Stock
                </th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">Last changed</th>
              </tr>
            </thead>
            <tbody>
              {products.data.items.map((product) => (
                <tr key={product.id}>
                  <td>
                    <Link to={`/office/products/${product.id}`}>{product.name}</Link>
                  </td>
                  <td>{categoryLabel(product.category)}</td>
                  <td className="num">{formatPrice(product.priceCents)}</td>
                  <td className="num">{product.stock}</td>
                  <td className="num">{product.version}</td>
                  <td>{formatDateTime(product.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {products.data && (
        <Pager
          label="Product pages"
          page={page}
          limit={PAGE_SIZE}
          total={products.data.total}
          onPage={(next) => change('page', String(next))}
        />
      )}
    </>
  );
}
