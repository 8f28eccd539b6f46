import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { useSession } from '../auth/session.hooks';
import { formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { Pager } from '../ui/pager.component';
import { CancelOrder } from './cancel-order.component';
import { OrderStatusBadge } from './order-status.component';
import { SignInFirst } from './sign-in-first.component';

const PAGE_SIZE = 10;

/** The shopper's order history, newest first, with the status of each and cancel where allowed. */
export function OrdersPage() {
  const state = useSession();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const orders = useQuery({
    queryKey: ['orders', 'mine', page],
    queryFn: () => storeApi.orders({ page, limit: PAGE_SIZE }),
    enabled: state.status === 'signed-in',
    placeholderData: keepPreviousData,
  });
  usePageTitle('Your orders');

  if (state.status === 'signed-out') return <SignInFirst title="Your orders" />;
  return (
    <>
      <h1>Your orders</h1>
      {orders.isPending && <Loading label="Loading your orders…" />}
      <ErrorNotice error={orders.error} />
      {orders.data?.total === 0 && (
        <p>
          No orders yet. <Link to="/">Start shopping</Link>
        </p>
      )}
      {orders.data && orders.data.items.length > 0 && (
        <ul className="order-list" aria-label="Orders">
          {orders.data.items.map((order) => (
            <li key={order.id} className="order-card">
              <div className="summary">
                <h2>
                  <Link to={`/orders/${order.id}`}>
                    Order {order.id.slice(0, 8)}
                    <span className="visually-hidden">, {formatDateTime(order.createdAt)}</span>
                  </Link>
                </h2>
                <div className="muted">
                  {formatDateTime(order.createdAt)} ·{' '}
                  {order.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ') ||
                    'no products priced'}
                </div>
              </div>
              <OrderStatusBadge status={order.status} />
              <span className="total">{formatPrice(order.totalCents)}</span>
              <CancelOrder order={order} />
            </li>
          ))}
        </ul>
      )}
      {orders.data && (
        <Pager
          label="Order pages"
          page={page}
          limit={PAGE_SIZE}
          total={orders.data.total}
          onPage={(next) => setParams({ page: String(next) })}
        />
      )}
    </>
  );
}
