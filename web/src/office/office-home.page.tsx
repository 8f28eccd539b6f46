import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { usePageTitle } from '../ui/page-title.hook';

/** Counts that say how the shop is doing, each a way into its section. */
export function OfficeHomePage() {
  const user = useCurrentUser();
  usePageTitle('Back office');
  const products = useQuery({
    queryKey: ['office', 'count', 'products'],
    queryFn: () => storeApi.products({ limit: 1 }),
  });
  const outOfStock = useQuery({
    queryKey: ['office', 'count', 'out-of-stock'],
    queryFn: () => storeApi.products({ limit: 1, inStock: false }),
  });
  const orders = useQuery({
    queryKey: ['office', 'count', 'orders'],
    queryFn: () => storeApi.orders({ limit: 1, status: 'CONFIRMED' }),
  });
  const users = useQuery({
    queryKey: ['office', 'count', 'users'],
    queryFn: () => storeApi.users({ limit: 1 }),
  });
  const count = (value: number | undefined) => (value === undefined ? '…' : String(value));
  return (
    <>
      <h1>Back office</h1>
      <p>Welcome, {user?.firstName}.</p>
      <ul className="product-grid">
        <li className="panel">
          <h2>
            <Link to="/office/products">Products</Link>
          </h2>
          <p>
            {count(products.data?.total)} on sale, {count(outOfStock.data?.total)} out of stock
          </p>
        </li>
        <li className="panel">
          <h2>
            <Link to="/office/orders">Orders</Link>
          </h2>
          <p>{count(orders.data?.total)} confirmed</p>
        </li>
        <li className="panel">
          <h2>
            <Link to="/office/users">Users</Link>
          </h2>
          <p>{count(users.data?.total)} accounts</p>
        </li>
        <li className="panel">
          <h2>
            <Link to="/office/audit">Audit log</Link>
          </h2>
          <p>Who changed what, and when</p>
        </li>
        <li className="panel">
          <h2>
            <Link to="/office/backups">Backups</Link>
          </h2>
          <p>Copies of the store’s data, to keep elsewhere</p>
        </li>
      </ul>
    </>
  );
}
