import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { useSession } from '../auth/session.hooks';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { CancelOrder } from './cancel-order.component';
import { OrderDetails } from './order-details.component';
import { SignInFirst } from './sign-in-first.component';

export function OrderPage() {
  const { id = '' } = useParams();
  const placed = (useLocation().state as { placed?: boolean } | null)?.placed === true;
  const state = useSession();
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => storeApi.order(id),
    enabled: state.status === 'signed-in',
  });
  const title = placed ? 'Thank you! Your order is placed' : `Order ${id.slice(0, 8)}`;
  usePageTitle(title);

  if (state.status === 'signed-out') return <SignInFirst title="Your order" />;
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
            <Link to="/orders">All your orders</Link>
          </div>
        </>
      )}
    </>
  );
}
