import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { OrderView } from '../shop/order-view.component';
import { usePageTitle } from '../ui/page-title.hook';

export function OrderAdminPage() {
  const { id = '' } = useParams();
  const order = useQuery({ queryKey: ['order', id], queryFn: () => storeApi.order(id) });
  usePageTitle(`Order ${id.slice(0, 8)}`);
  return (
    <OrderView
      title={`Order ${id.slice(0, 8)}`}
      order={order}
      back={{ to: '/office/orders', label: 'All orders' }}
    />
  );
}
