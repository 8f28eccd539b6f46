import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { CancelOrder } from './cancel-order.component';
import { OrderDetails } from './order-details.component';

type LoadedOrder = UseQueryResult<Awaited<ReturnType<typeof storeApi.order>>>;

/** One order as it loads: its details, cancelling it while it may be, and the way back to a list. */
export function OrderView({
  title,
  order,
  back,
}: {
  title: string;
  order: LoadedOrder;
  back: { to: string; label: string };
}) {
  return (
    <>
      <h1>{title}</h1>
      {order.isPending && <Loading label="Loading the order…" />}
      <ErrorNotice error={order.error} />
      {order.data && (
        <>
          <OrderDetails order={order.data} />
          <div className="actions">
            <CancelOrder order={order.data} />
            <Link to={back.to}>{back.label}</Link>
          </div>
        </>
      )}
    </>
  );
}
