import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { useElapsedSeconds } from './elapsed-seconds.hook';

/** The search index against the catalogue, and a rebuild with its progress and result. */
export function SearchAdminPage() {
  usePageTitle('Search index');
  const queryClient = useQueryClient();
  const indexed = useQuery({
    queryKey: ['office', 'index-count'],
    queryFn: () => storeApi.search({ limit: 1 }),
  });
  const catalogue = useQuery({
    queryKey: ['office', 'catalogue-count'],
    queryFn: () => storeApi.products({ limit: 1 }),
  });
  const [startedAt, setStartedAt] = useState<number>();
  const [took, setTook] = useState<number>();
  const reindex = useMutation({
    mutationFn: async () => {
      const started = Date.now();
      setStartedAt(started);
      try {
        const result = await storeApi.reindex();
        setTook((Date.now() - started) / 1000);
        return result;
      } finally {
        setStartedAt(undefined);
      }
    },
    onSuccess: () => void queryClient.invalidateQueries(),
  });
  const elapsed = useElapsedSeconds(startedAt);
  const inIndex = indexed.data?.total;
  const live = catalogue.data?.total;

  return (
    <>
      <h1>Search index</h1>
      <p>
        The search has its own copy of the catalogue, kept up to date with every change. Rebuild it
        if searches ever disagree with the catalogue.
      </p>
      <dl className="totals panel form-narrow">
        <div>
          <dt>Products in the search index</dt>
          <dd>{inIndex ?? '…'}</dd>
        </div>
        <div>
          <dt>Products on sale in the catalogue</dt>
          <dd>{live ?? '…'}</dd>
        </div>
      </dl>
      {inIndex !== undefined && live !== undefined && inIndex !== live && (
        <div className="notice warning">
          <p>The index and the catalogue disagree: a rebuild will bring them together.</p>
        </div>
      )}
      <div className="actions">
        <button type="button" disabled={reindex.isPending} onClick={() => reindex.mutate()}>
          {reindex.isPending ? 'Rebuilding…' : 'Rebuild the search index'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {reindex.isPending && (
          <p>
            <span className="spinner" aria-hidden="true" /> Reading every product from the
            catalogue… {elapsed} s
          </p>
        )}
        {reindex.isSuccess && (
          <div className="notice success">
            <p>
              Done: {reindex.data.indexed} products indexed
              {took !== undefined ? ` in ${took.toFixed(1)} s` : ''}.
            </p>
          </div>
        )}
      </div>
      <ErrorNotice error={reindex.error} title="The rebuild failed" />
      <h2>Synonyms</h2>
      <p>
        Words the search treats as the same, such as crisps and chips:{' '}
        <Link to="/office/search/synonyms">manage the synonyms</Link>.
      </p>
    </>
  );
}
