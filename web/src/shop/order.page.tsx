import { useQuery } from '@tanstack/react-query';
import { useLocation, useParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { useSession } from '../auth/session.hooks';
import { usePageTitle } from '../ui/page-title.hook';
import { OrderView } from './order-view.component';
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
    <OrderView title={title} order={order} back={{ to: '/orders', label: 'All your orders' }} />
  );
}
