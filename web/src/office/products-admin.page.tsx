import { Link } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { categoryLabel, formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { useListParams, useListing } from '../ui/list-params.hook';
import { PagedTable } from '../ui/paged-table.component';
import { usePageTitle } from '../ui/page-title.hook';
import { SelectFilter } from '../ui/select-filter.component';
import { useCategories } from './categories.hook';

const PAGE_SIZE = 20;
const SORTS = {
  name: 'Name',
  price: 'Price',
  updatedAt: 'Last changed',
} as const;
type Sort = keyof typeof SORTS;

export function ProductsAdminPage() {
  const { params, page, change } = useListParams();
  const category = params.get('category') || undefined;
  const stock = params.get('stock');
  const sort: Sort = (params.get('sort') as Sort | null) ?? 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const query = {
    category,
    inStock: stock === 'in' ? true : stock === 'out' ? false : undefined,
    sort: sort in SORTS ? sort : 'name',
    order,
    page,
    limit: PAGE_SIZE,
  } as const;
  const products = useListing(['office', 'products'], query, (q) => storeApi.products(q));
  const categories = useCategories();
  usePageTitle('Products');

  return (
    <>
      <h1>Products</h1>
      <div className="actions">
        <Link className="button" to="/office/products/new">
          New product
        </Link>
      </div>
      <div className="filter-bar" role="group" aria-label="Filter products">
        <SelectFilter
          id="filter-category"
          label="Category"
          value={category ?? ''}
          options={[['', 'All'], ...categories.map((slug) => [slug, categoryLabel(slug)] as const)]}
          onChange={(value) => change({ category: value })}
        />
        <SelectFilter
          id="filter-stock"
          label="Stock"
          value={stock ?? ''}
          options={[
            ['', 'Any'],
            ['in', 'In stock'],
            ['out', 'Out of stock'],
          ]}
          onChange={(value) => change({ stock: value })}
        />
        <SelectFilter
          id="filter-sort"
          label="Sort by"
          value={`${sort}:${order}`}
          options={(Object.keys(SORTS) as Sort[]).flatMap((key) =>
            (['asc', 'desc'] as const).map(
              (direction) =>
                [
                  `${key}:${direction}`,
                  `${SORTS[key]} ${direction === 'asc' ? '↑' : '↓'}`,
                ] as const,
            ),
          )}
          onChange={(value) => {
            const [nextSort, nextOrder] = value.split(':');
            change({ sort: nextSort ?? 'name', order: nextOrder ?? 'asc' });
          }}
        />
      </div>
      <PagedTable
        query={products}
        noun={['product', 'products']}
        columns={[
          { label: 'Name' },
          { label: 'Category' },
          { label: 'Price', numeric: true },
          { label: 'Stock', numeric: true },
          { label: 'Version', numeric: true },
          { label: 'Last changed' },
        ]}
        row={(product) => (
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
        )}
        page={page}
        limit={PAGE_SIZE}
        onPage={(next) => change({ page: String(next) })}
      />
    </>
  );
}
