import { Link, useLocation } from 'react-router';

/** A page for signed-in people, reached while signed out. */
export function SignInFirst({ title }: { title: string }) {
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <>
      <h1>{title}</h1>
      <p>
        Please <Link to={`/login?next=${next}`}>sign in</Link> first.
      </p>
    </>
  );
}
