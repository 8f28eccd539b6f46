import type { ReactNode } from 'react';
import { ErrorNotice } from './error-notice.component';
import { Loading } from './loading.component';
import { Pager } from './pager.component';

export interface Column {
  label: string;
  /** Right-aligned (amounts and counts). */
  numeric?: boolean;
}

/**
 * One page of an API listing as a table, with its loading state, its error and the pager under
 * it. The caption says how many there are in all.
 */
export function PagedTable<T>({
  query,
  noun,
  columns,
  row,
  page,
  limit,
  onPage,
  captionSuffix = '',
}: {
  query: {
    data?: { items: T[]; total: number };
    error: unknown;
    isPending: boolean;
  };
  /** Singular and plural, e.g. ['order', 'orders']. */
  noun: readonly [string, string];
  columns: readonly Column[];
  row: (item: T) => ReactNode;
  page: number;
  limit: number;
  onPage: (page: number) => void;
  /** After the count in the caption, e.g. ", newest first". */
  captionSuffix?: string;
}) {
  const [one, many] = noun;
  return (
    <>
      <ErrorNotice error={query.error} />
      {query.isPending && <Loading label={`Loading ${many}…`} />}
      {query.data && (
        <div className="table-wrap">
          <table>
            <caption>
              {query.data.total} {query.data.total === 1 ? one : many}
              {captionSuffix}
            </caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} scope="col" className={column.numeric ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{query.data.items.map(row)}</tbody>
          </table>
        </div>
      )}
      {query.data && (
        <Pager
          label={`${one.charAt(0).toUpperCase()}${one.slice(1)} pages`}
          page={page}
          limit={limit}
          total={query.data.total}
          onPage={onPage}
        />
      )}
    </>
  );
}
