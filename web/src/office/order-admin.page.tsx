import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { CancelOrder } from '../shop/cancel-order.component';
import { OrderDetails } from '../shop/order-details.component';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';

export function OrderAdminPage() {
  const { id = '' } = useParams();
  const order = useQuery({ queryKey: ['order', id], queryFn: () => storeApi.order(id) });
  usePageTitle(`Order ${id.slice(0, 8)}`);
  return (
    <>
      <h1>Order {id.slice(0, 8)}</h1>
      {order.isPending && <Loading label="Loading the order…" />}
      <ErrorNotice error={order.error} />
      {order.data && (
        <>
          <OrderDetails order={order.data} />
          <div className="actions">
            <CancelOrder order={order.data} />
            <Link to="/office/orders">All orders</Link>
          </div>
        </>
      )}
    </>
  );
}
