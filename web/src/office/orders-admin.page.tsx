import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ORDER_STATUSES, type OrderStatus } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { CancelOrder } from '../shop/cancel-order.component';
import { OrderStatusBadge } from '../shop/order-status.component';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { Pager } from '../ui/pager.component';

const PAGE_SIZE = 20;

/** Every customer's orders, newest first; one customer's from their account page. */
export function OrdersAdminPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as OrderStatus | null) || undefined;
  const userId = params.get('userId') || undefined;
  const username = params.get('username');
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = { status, userId, page, limit: PAGE_SIZE };
  const orders = useQuery({
    queryKey: ['orders', 'all', query],
    queryFn: () => storeApi.orders(query),
    placeholderData: keepPreviousData,
  });
  usePageTitle('Orders');

  const change = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };

  return (
    <>
      <h1>Orders</h1>
      <div className="filter-bar" role="group" aria-label="Filter orders">
        <div className="field">
          <label htmlFor="orders-status">Status</label>
          <select
            id="orders-status"
            value={status ?? ''}
            onChange={(event) => change('status', event.target.value)}
          >
            <option value="">Any</option>
            {ORDER_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.charAt(0) + value.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        {userId && (
          <p>
            Customer: <strong>{username ?? userId}</strong>{' '}
            <button
              type="button"
              className="link"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.delete('userId');
                next.delete('username');
                next.delete('page');
                setParams(next);
              }}
            >
              show everyone’s
            </button>
          </p>
        )}
      </div>
      <ErrorNotice error={orders.error} />
      {orders.isPending && <Loading label="Loading orders…" />}
      {orders.data && (
        <div className="table-wrap">
          <table>
            <caption>
              {orders.data.total} order{orders.data.total === 1 ? '' : 's'}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Placed</th>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((order) => (
                <tr key={order.id}>
                  <td>{formatDateTime(order.createdAt)}</td>
                  <td>
                    <Link to={`/office/orders/${order.id}`}>{order.id.slice(0, 8)}</Link>
                  </td>
                  <td>
                    <Link
                      to={`/office/orders?userId=${order.userId}&username=${encodeURIComponent(order.username)}`}
                    >
                      {order.username}
                    </Link>
                  </td>
                  <td>
                    <OrderStatusBadge status={order.status} />
                  </td>
                  <td className="num">{formatPrice(order.totalCents)}</td>
                  <td>
                    <CancelOrder order={order} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {orders.data && (
        <Pager
          label="Order pages"
          page={page}
          limit={PAGE_SIZE}
          total={orders.data.total}
          onPage={(next) => change('page', String(next))}
        />
      )}
    </>
  );
}
