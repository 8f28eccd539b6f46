import { describeError } from '../api/api-error';

/** A failed request, in words, announced at once. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      {title && <h2>{title}</h2>}
      <p>{describeError(error)}</p>
    </div>
  );
}
