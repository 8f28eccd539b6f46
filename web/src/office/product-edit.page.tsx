import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Product, ProductFields } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { categoryLabel, formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { actorLabel, describeEvent, eventTypeLabel } from './audit-event.format';
import { ProductFieldsEditor } from './product-fields.component';
import { changedFields, checkedDraft, draftOf, type DraftErrors } from './product-form';

const FIELD_LABELS: Record<keyof ProductFields, string> = {
  name: 'Name',
  category: 'Category',
  priceCents: 'Price',
  stock: 'Stock',
  description: 'Description',
};

function show(field: keyof ProductFields, value: unknown): string {
  if (field === 'priceCents') return formatPrice(value as number);
  if (field === 'category') return categoryLabel(value as string);
  if (field === 'description') return (value as string) || '(none)';
  return String(value);
}

/** Somebody saved the product first: what they saved, what this employee tried to save. */
interface Conflict {
  current: Product;
  attempted: Partial<ProductFields>;
}

export function ProductEditPage() {
  const { id = '' } = useParams();
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  const product = useQuery({
    queryKey: ['office', 'product', id],
    queryFn: () => storeApi.product(id),
    staleTime: Infinity,
  });
  usePageTitle(product.data ? `Edit ${product.data.name}` : 'Edit product');

  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.error) {
    const gone = product.error instanceof ApiError && product.error.status === 404;
    return (
      <>
        <h1>{gone ? 'No such product' : 'The product could not be loaded'}</h1>
        <p>{gone ? 'It does not exist or has been archived.' : ''}</p>
        {!gone && <ErrorNotice error={product.error} />}
        <Link to="/office/products">All products</Link>
      </>
    );
  }
  // Editing starts from the version loaded; a newer version arrives only through a conflict.
  return <ProductEditor key={product.data.id} initial={product.data} created={created} />;
}

function ProductEditor({ initial, created }: { initial: Product; created: boolean }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [base, setBase] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [conflict, setConflict] = useState<Conflict>();
  const [saved, setSaved] = useState(created ? 'Product added.' : '');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [archiving, setArchiving] = useState(false);

  const refreshEverywhere = (product: Product) => {
    queryClient.setQueryData(['office', 'product', product.id], product);
    void queryClient.invalidateQueries({ queryKey: ['catalogue'] });
    void queryClient.invalidateQueries({ queryKey: ['product', product.id] });
    void queryClient.invalidateQueries({ queryKey: ['office', 'products'] });
    void queryClient.invalidateQueries({ queryKey: ['office', 'history', product.id] });
  };

  /** Sends `changes` on top of `version`; a 409 turns into the conflict panel. */
  const save = async (changes: Partial<ProductFields>, version: number) => {
    setBusy(true);
    setFailure(undefined);
    setSaved('');
    try {
      const updated = await storeApi.updateProduct(base.id, changes, version);
      setBase(updated);
      setDraft(draftOf(updated));
      setConflict(undefined);
      setSaved(`Saved. The product is now at version ${updated.version}.`);
      refreshEverywhere(updated);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        try {
          setConflict({ current: await storeApi.product(base.id), attempted: changes });
        } catch (reloadError) {
          setFailure(reloadError);
        }
      } else if (error instanceof ApiError && error.code === 'PRODUCT_NAME_TAKEN') {
        setErrors({ name: error.message });
      } else {
        setFailure(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = checkedDraft(draft, setErrors);
    if (!fields) return;
    const changes = changedFields(base, fields);
    if (Object.keys(changes).length === 0) {
      setSaved('Nothing to save: no field was changed.');
      return;
    }
    void save(changes, base.version);
  };

  const archive = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await storeApi.archiveProduct(base.id, base.version);
      void queryClient.invalidateQueries();
      void navigate('/office/products');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        setArchiving(false);
        setFailure(
          new ApiError({
            statusCode: 409,
            error: 'Conflict',
            code: 'VERSION_CONFLICT',
            message:
              'Someone changed this product since you opened it. Reload it and check before archiving.',
          }),
        );
      } else setFailure(error);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Edit {base.name}</h1>
      <p className="muted">
        Version {base.version} · last saved {formatDateTime(base.updatedAt)} ·{' '}
        <Link to={`/products/${base.id}`}>See it in the shop</Link>
      </p>
      <LastChange productId={base.id} />
      {saved && (
        <div className="notice success" role="status">
          <p>{saved}</p>
        </div>
      )}
      <ErrorNotice error={failure} />
      {conflict && (
        <ConflictPanel
          conflict={conflict}
          busy={busy}
          onReapply={() => void save(conflict.attempted, conflict.current.version)}
          onDiscard={() => {
            setBase(conflict.current);
            setDraft(draftOf(conflict.current));
            setConflict(undefined);
            setSaved('Your changes were discarded; this is the current version.');
            refreshEverywhere(conflict.current);
          }}
        />
      )}
      <form onSubmit={submit} noValidate className="panel">
        <ProductFieldsEditor draft={draft} errors={errors} onChange={setDraft} />
        <div className="actions">
          <button type="submit" disabled={busy || conflict !== undefined}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          {archiving ? (
            <span role="group" aria-label="Confirm archiving" className="actions">
              <span>Archive it? It leaves the shop; orders keep it.</span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => void archive()}
              >
                Yes, archive
              </button>
              <button type="button" className="secondary" onClick={() => setArchiving(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setArchiving(true)}>
              Archive product
            </button>
          )}
        </div>
      </form>
      <History productId={base.id} />
    </>
  );
}

function ConflictPanel({
  conflict,
  busy,
  onReapply,
  onDiscard,
}: {
  conflict: Conflict;
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  const { current, attempted } = conflict;
  const fields = Object.keys(FIELD_LABELS) as Array<keyof ProductFields>;
  const currentValue = (field: keyof ProductFields) =>
    field === 'description' ? (current.description ?? '') : current[field];
  return (
    <section className="notice warning conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else saved this product first</h2>
      <p>
        While you were editing, the product moved to version {current.version}. Your changes were
        not saved. Compare, then apply your changes to the current version or discard them.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Current and attempted values</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Current (saved)</th>
              <th scope="col">Yours (not saved)</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => {
              const mine = field in attempted;
              return (
                <tr key={field} className={mine ? 'changed' : undefined}>
                  <th scope="row">{FIELD_LABELS[field]}</th>
                  <td>{show(field, currentValue(field))}</td>
                  <td>
                    {mine ? (
                      show(field, attempted[field])
                    ) : (
                      <span className="muted">unchanged</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" disabled={busy} onClick={onReapply}>
          {busy ? 'Saving…' : 'Apply my changes to the current version'}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onDiscard}>
          Discard my changes
        </button>
      </div>
    </section>
  );
}

const CHANGE_TYPES = new Set(['product_created', 'product_updated', 'product_archived']);

function useProductHistory(productId: string) {
  return useQuery({
    queryKey: ['office', 'history', productId],
    queryFn: () => storeApi.auditLog({ productId, order: 'desc', limit: 20 }),
  });
}

/** "Last changed by manager on 3 Nov": from the audit log, whoever made the change. */
function LastChange({ productId }: { productId: string }) {
  const history = useProductHistory(productId);
  const last = history.data?.items.find((event) => CHANGE_TYPES.has(event.type));
  if (!last) return null;
  return (
    <p data-testid="last-change">
      Last changed by <strong>{actorLabel(last)}</strong> on {formatDateTime(last.occurredAt)} (
      {eventTypeLabel(last.type).toLowerCase()}).
    </p>
  );
}

function History({ productId }: { productId: string }) {
  const history = useProductHistory(productId);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ErrorNotice error={history.error} />
      {history.data && history.data.items.length === 0 && <p>No events yet.</p>}
      <ol className="history">
        {history.data?.items.map((event) => (
          <li key={event.eventId}>
            <strong>{eventTypeLabel(event.type)}</strong> by {actorLabel(event)},{' '}
            {formatDateTime(event.occurredAt)}
            {describeEvent(event) && <div className="muted">{describeEvent(event)}</div>}
          </li>
        ))}
      </ol>
      <Link to={`/office/audit?productId=${productId}`}>All events about this product</Link>
    </section>
  );
}
