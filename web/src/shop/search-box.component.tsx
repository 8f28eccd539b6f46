import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { formatPrice } from '../format/money.format';

const SUGGESTIONS = 6;
const DEBOUNCE_MS = 200;

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/**
 * Search as you type: a combobox (WAI-ARIA pattern) whose suggestions come from the search API
 * with prefix matching and accent folding ("creme" finds "Crème fraîche"). Enter shows every
 * result with its facets; an arrow key and Enter open one product.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [text, setText] = useState(location.pathname === '/' ? (params.get('q') ?? '') : '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const query = useDebounced(text.trim(), DEBOUNCE_MS);

  const suggestions = useQuery({
    queryKey: ['suggestions', query],
    queryFn: ({ signal }) => storeApi.search({ q: query, limit: SUGGESTIONS }, signal),
    enabled: open && query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const hits = query.length > 0 ? (suggestions.data?.items ?? []) : [];
  const showList = open && query.length > 0 && (hits.length > 0 || suggestions.isSuccess);

  const showResults = () => {
    setOpen(false);
    const q = text.trim();
    void navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  };
  const openProduct = (id: string) => {
    setOpen(false);
    setActive(-1);
    void navigate(`/products/${id}`);
  };

  return (
    <div className="header-search" role="search">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const hit = active >= 0 ? hits[active] : undefined;
          if (hit) openProduct(hit.id);
          else showResults();
        }}
      >
        <label htmlFor="site-search" className="visually-hidden">
          Search groceries
        </label>
        <input
          id="site-search"
          type="search"
          role="combobox"
          autoComplete="off"
          placeholder="Search groceries, e.g. choc"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
          value={text}
          maxLength={200}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && hits.length > 0) {
              event.preventDefault();
              setOpen(true);
              setActive((index) => (index + 1) % hits.length);
            } else if (event.key === 'ArrowUp' && hits.length > 0) {
              event.preventDefault();
              setActive((index) => (index <= 0 ? hits.length - 1 : index - 1));
            } else if (event.key === 'Escape') {
              setOpen(false);
              setActive(-1);
            }
          }}
        />
        <button type="submit">Search</button>
      </form>
      <ul
        id={listId}
        role="listbox"
        aria-label="Suggestions"
        className="suggestions"
        hidden={!showList}
      >
        {hits.map((hit, index) => (
          <li
            key={hit.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => openProduct(hit.id)}
          >
            <span>{hit.name}</span>
            <span>{formatPrice(hit.priceCents)}</span>
          </li>
        ))}
        {showList && hits.length === 0 && (
          <li className="empty" role="option" aria-selected={false} aria-disabled="true">
            No product matches “{query}”
          </li>
        )}
      </ul>
    </div>
  );
}
