import { Link } from 'react-router';
import { usePageTitle } from '../ui/page-title.hook';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Back to the shop</Link>
      </p>
    </>
  );
}
