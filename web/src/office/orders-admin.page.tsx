import { Link } from 'react-router';
import { ORDER_STATUSES, type OrderStatus } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { formatDateTime } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { CancelOrder } from '../shop/cancel-order.component';
import { OrderStatusBadge } from '../shop/order-status.component';
import { useListParams, useListing } from '../ui/list-params.hook';
import { PagedTable } from '../ui/paged-table.component';
import { usePageTitle } from '../ui/page-title.hook';
import { SelectFilter } from '../ui/select-filter.component';

const PAGE_SIZE = 20;

/** Every customer's orders, newest first; one customer's from their account page. */
export function OrdersAdminPage() {
  const { params, page, change } = useListParams();
  const status = (params.get('status') as OrderStatus | null) || undefined;
  const userId = params.get('userId') || undefined;
  const username = params.get('username');
  const query = { status, userId, page, limit: PAGE_SIZE };
  const orders = useListing(['orders', 'all'], query, (q) => storeApi.orders(q));
  usePageTitle('Orders');

  return (
    <>
      <h1>Orders</h1>
      <div className="filter-bar" role="group" aria-label="Filter orders">
        <SelectFilter
          id="orders-status"
          label="Status"
          value={status ?? ''}
          options={[
            ['', 'Any'],
            ...ORDER_STATUSES.map(
              (value) => [value, value.charAt(0) + value.slice(1).toLowerCase()] as const,
            ),
          ]}
          onChange={(value) => change({ status: value })}
        />
        {userId && (
          <p>
            Customer: <strong>{username ?? userId}</strong>{' '}
            <button
              type="button"
              className="link"
              onClick={() => change({ userId: undefined, username: undefined })}
            >
              show everyone’s
            </button>
          </p>
        )}
      </div>
      <PagedTable
        query={orders}
        noun={['order', 'orders']}
        captionSuffix=", newest first"
        columns={[
          { label: 'Placed' },
          { label: 'Order' },
          { label: 'Customer' },
          { label: 'Status' },
          { label: 'Total', numeric: true },
          { label: 'Action' },
        ]}
        row={(order) => (
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
        )}
        page={page}
        limit={PAGE_SIZE}
        onPage={(next) => change({ page: String(next) })}
      />
    </>
  );
}
