/** Where to go after signing in: only a path of this site, never another origin. */
export function nextPath(params: URLSearchParams, fallback = '/'): string {
  const next = params.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : fallback;
}
