import { Link, useRouteError } from 'react-router';

/** A page that failed to render or load (a lost connection while fetching the back office). */
export function RouteErrorPage() {
  const error = useRouteError();
  return (
    <main id="main">
      <h1>Something went wrong</h1>
      <p>
        {error instanceof Error && /import|fetch|chunk/i.test(error.message)
          ? 'Part of the app could not be loaded. Check your connection, then reload the page.'
          : 'The page could not be shown. Reloading usually helps.'}
      </p>
      <p>
        <Link to="/">Back to the shop</Link>
      </p>
    </main>
  );
}
