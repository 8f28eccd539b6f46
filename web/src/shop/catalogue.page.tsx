import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SEARCH_SORTS, type SearchParams, type SearchSort } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { categoryLabel } from '../format/dates.format';
import { parsePrice, priceInputValue } from '../format/money.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { changedParams } from '../ui/list-params.hook';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { Pager } from '../ui/pager.component';
import { ProductCard } from './product-card.component';

const PAGE_SIZE = 12;

const SORT_LABELS: Record<SearchSort, string> = {
  relevance: 'Best match',
  name: 'Name (A–Z)',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest first',
  rating: 'Best rated',
};

function readParams(params: URLSearchParams): SearchParams {
  const number = (name: string) => {
    const value = params.get(name);
    return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const sort = params.get('sort');
  return {
    q: params.get('q')?.trim() || undefined,
    category: params.get('category') || undefined,
    minPrice: number('minPrice'),
    maxPrice: number('maxPrice'),
    inStock: params.get('inStock') === 'true' ? true : undefined,
    sort: SEARCH_SORTS.includes(sort as SearchSort) ? (sort as SearchSort) : undefined,
    page: number('page') ?? 1,
  };
}

/** A link to the same listing with some filters changed (and back to page 1). */
function withParams(params: URLSearchParams, changes: Record<string, string | undefined>): string {
  const text = changedParams(params, changes).toString();
  return text ? `/?${text}` : '/';
}

/**
 * The catalogue: category navigation (with counts), price and stock filters, sorts and pages,
 * all through the search API, with or without words to search for. The URL holds the whole
 * state, so a listing can be bookmarked, shared and reached with the back button.
 */
export function CataloguePage() {
  const [params, setParams] = useSearchParams();
  const filters = readParams(params);
  const sort = filters.sort ?? (filters.q ? 'relevance' : 'name');
  const result = useQuery({
    queryKey: ['catalogue', filters],
    queryFn: ({ signal }) => storeApi.search({ ...filters, sort, limit: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });

  const title = filters.q
    ? `Results for “${filters.q}”`
    : filters.category
      ? categoryLabel(filters.category)
      : 'All groceries';
  usePageTitle(title);

  const go = (changes: Record<string, string | undefined>) => {
    const target = withParams(params, changes);
    setParams(new URLSearchParams(target.slice(2)));
  };

  const data = result.data;
  const facets = data?.facets ?? [];
  const facetTotal = facets.reduce((sum, facet) => sum + facet.count, 0);

  return (
    <>
      <h1>{title}</h1>
      <div className="catalogue">
        <aside className="filters" aria-label="Filters">
          <nav aria-label="Categories">
            <section>
              <h2>Categories</h2>
              <ul className="category-list">
                <li>
                  <Link
                    to={withParams(params, { category: undefined })}
                    aria-current={filters.category ? undefined : 'page'}
                  >
                    <span>All categories</span>
                    <span aria-hidden="true">{facetTotal || ''}</span>
                  </Link>
                </li>
                {facets.map((facet) => (
                  <li key={facet.category}>
                    <Link
                      to={withParams(params, { category: facet.category })}
                      aria-current={filters.category === facet.category ? 'page' : undefined}
                      aria-label={`${categoryLabel(facet.category)}, ${facet.count} product${facet.count === 1 ? '' : 's'}`}
                    >
                      <span>{categoryLabel(facet.category)}</span>
                      <span aria-hidden="true">{facet.count}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          </nav>
          <PriceFilter
            key={`${filters.minPrice ?? ''}-${filters.maxPrice ?? ''}`}
            minPrice={filters.minPrice}
            maxPrice={filters.maxPrice}
            onApply={(minPrice, maxPrice) =>
              go({ minPrice: minPrice?.toString(), maxPrice: maxPrice?.toString() })
            }
          />
          <section>
            <h2>Availability</h2>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={filters.inStock === true}
                onChange={(event) => go({ inStock: event.target.checked ? 'true' : undefined })}
              />
              In stock only
            </label>
          </section>
        </aside>

        <section aria-label="Products">
          <div className="toolbar">
            <p className="muted" aria-live="polite">
              {data
                ? `${data.total} product${data.total === 1 ? '' : 's'}`
                : result.isPending
                  ? 'Loading…'
                  : ''}
            </p>
            <label>
              Sort by
              <select value={sort} onChange={(event) => go({ sort: event.target.value })}>
                {SEARCH_SORTS.filter((s) => s !== 'relevance' || filters.q).map((value) => (
                  <option key={value} value={value}>
                    {SORT_LABELS[value]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ErrorNotice error={result.error} title="The catalogue could not be loaded" />
          {result.isPending && <Loading label="Loading products…" />}
          {data && data.items.length === 0 && (
            <div className="notice info">
              <p>
                No product matches
                {filters.q ? ` “${filters.q}”` : ''} with these filters.{' '}
                <Link to="/">See all groceries</Link>
              </p>
            </div>
          )}
          {data && data.items.length > 0 && (
            <ul className="product-grid">
              {data.items.map((hit) => (
                <li key={hit.id}>
                  <ProductCard product={hit} />
                </li>
              ))}
            </ul>
          )}
          {data && (
            <Pager
              label="Catalogue pages"
              page={filters.page ?? 1}
              limit={PAGE_SIZE}
              total={data.total}
              onPage={(page) => go({ page: String(page) })}
            />
          )}
        </section>
      </div>
    </>
  );
}

function PriceFilter({
  minPrice,
  maxPrice,
  onApply,
}: {
  minPrice?: number;
  maxPrice?: number;
  onApply: (min: number | undefined, max: number | undefined) => void;
}) {
  const [min, setMin] = useState(minPrice === undefined ? '' : priceInputValue(minPrice));
  const [max, setMax] = useState(maxPrice === undefined ? '' : priceInputValue(maxPrice));
  const [problem, setProblem] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const low = min.trim() ? parsePrice(min) : undefined;
    const high = max.trim() ? parsePrice(max) : undefined;
    if ((min.trim() && low === undefined) || (max.trim() && high === undefined)) {
      setProblem('Prices are amounts in pounds, such as 2.50.');
      return;
    }
    if (low !== undefined && high !== undefined && low > high) {
      setProblem('The lowest price is above the highest.');
      return;
    }
    setProblem('');
    onApply(low, high);
  };

  return (
    <section>
      <form onSubmit={submit} noValidate aria-describedby={problem ? 'price-problem' : undefined}>
        <h2>Price</h2>
        <div className="price-range">
          <PriceInput id="min-price" label="From £" value={min} onChange={setMin} />
          <PriceInput id="max-price" label="To £" value={max} onChange={setMax} />
        </div>
        {problem && (
          <p id="price-problem" className="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="secondary">
          Apply price
        </button>
      </form>
    </section>
  );
}

/** One end of the price range, in pounds as typed. */
function PriceInput(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="decimal"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}
