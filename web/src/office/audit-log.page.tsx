import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditQuery } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { formatDateTime, localInputToIso } from '../format/dates.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { useListing } from '../ui/list-params.hook';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { Pager } from '../ui/pager.component';
import { AUDIT_TYPES, actorLabel, describeEvent, eventTypeLabel } from './audit-event.format';

const PAGE_SIZE = 25;
type Filter = 'username' | 'product' | 'productId' | 'type' | 'from' | 'to';

/** A `datetime-local` value for an ISO instant, in local time: what the input shows back. */
function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The audit log, newest first: filter by who, which product, what kind of event and when. */
export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const get = (name: Filter) => params.get(name) || undefined;
  const query: AuditQuery = {
    username: get('username'),
    productName: get('product'),
    productId: get('productId'),
    type: get('type'),
    from: get('from'),
    to: get('to'),
    order: 'desc',
    page,
    limit: PAGE_SIZE,
  };
  const events = useListing(['office', 'audit'], query, (q) => storeApi.auditLog(q));
  usePageTitle('Audit log');

  const [form, setForm] = useState(() => ({
    username: params.get('username') ?? '',
    product: params.get('product') ?? '',
    type: params.get('type') ?? '',
    from: isoToLocalInput(params.get('from')),
    to: isoToLocalInput(params.get('to')),
  }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    const values: Partial<Record<Filter, string | undefined>> = {
      username: form.username.trim(),
      product: form.product.trim(),
      productId: form.product.trim() ? undefined : params.get('productId') || undefined,
      type: form.type,
      from: localInputToIso(form.from),
      to: localInputToIso(form.to),
    };
    for (const [name, value] of Object.entries(values)) if (value) next.set(name, value);
    setParams(next);
  };

  const input = (name: keyof typeof form, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`audit-${name}`}>{label}</label>
      <input
        id={`audit-${name}`}
        type={type}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
      />
    </div>
  );

  return (
    <>
      <h1>Audit log</h1>
      <form className="filter-bar" onSubmit={apply} aria-label="Filter events">
        {input('username', 'By user')}
        {input('product', 'Product name')}
        <div className="field">
          <label htmlFor="audit-type">Event</label>
          <select
            id="audit-type"
            value={form.type}
            onChange={(event) => setForm({ ...form, type: event.target.value })}
          >
            <option value="">Any</option>
            {AUDIT_TYPES.map((type) => (
              <option key={type} value={type}>
                {eventTypeLabel(type)}
              </option>
            ))}
          </select>
        </div>
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To', 'datetime-local')}
        <button type="submit">Show events</button>
        <Link to="/office/audit">Clear filters</Link>
      </form>
      {params.get('productId') && !params.get('product') && (
        <p className="muted">Showing the events of one product.</p>
      )}
      <ErrorNotice error={events.error} />
      {events.isPending && <Loading label="Loading events…" />}
      {events.data && (
        <div className="table-wrap">
          <table>
            <caption>
              {events.data.total} event{events.data.total === 1 ? '' : 's'}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">About</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((event) => (
                <tr key={event.eventId}>
                  <td>{formatDateTime(event.occurredAt)}</td>
                  <td>{eventTypeLabel(event.type)}</td>
                  <td>{actorLabel(event)}</td>
                  <td>
                    {event.subject.kind === 'product' ? (
                      <Link to={`/office/products/${event.subject.id}`}>
                        {event.subject.name ?? event.subject.id}
                      </Link>
                    ) : event.subject.kind === 'order' ? (
                      <Link to={`/office/orders/${event.subject.id}`}>
                        {event.subject.name ?? event.subject.id}
                      </Link>
                    ) : event.subject.kind === 'user' ? (
                      <Link to={`/office/users/${event.subject.id}`}>
                        {event.subject.name ?? event.subject.id}
                      </Link>
                    ) : (
                      (event.subject.name ?? event.subject.kind)
                    )}
                  </td>
                  <td>{describeEvent(event)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events.data && (
        <Pager
          label="Audit log pages"
          page={page}
          limit={PAGE_SIZE}
          total={events.data.total}
          onPage={(next) => {
            const nextParams = new URLSearchParams(params);
            nextParams.set('page', String(next));
            setParams(nextParams);
          }}
        />
      )}
    </>
  );
}
