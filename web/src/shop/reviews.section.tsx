import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Review } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { formatDate } from '../format/dates.format';
import { ratingStars, ratingSummary } from '../format/rating.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';

const RATINGS = [5, 4, 3, 2, 1] as const;

export function Stars({ rating }: { rating: number }) {
  return (
    <span className="stars" aria-hidden="true">
      {ratingStars(rating)}
    </span>
  );
}

/** A product's reviews, their average, and the signed-in customer's own review to write or edit. */
export function ReviewsSection({ productId }: { productId: string }) {
  const user = useCurrentUser();
  const location = useLocation();
  const reviews = useQuery({
    queryKey: ['reviews', productId],
    queryFn: () => storeApi.reviews(productId),
  });

  let content;
  if (reviews.isPending) content = <Loading label="Loading the reviews…" />;
  else if (reviews.error) content = <ErrorNotice error={reviews.error} />;
  else {
    const { items, ratingAverage, ratingCount } = reviews.data;
    const own = user ? items.find((review) => review.username === user.username) : undefined;
    content = (
      <>
        <p className="rating-summary">
          {ratingAverage !== null && <Stars rating={ratingAverage} />}{' '}
          <span data-testid="rating-average">{ratingSummary(ratingAverage, ratingCount)}</span>
        </p>
        {items.length > 0 && (
          <ul className="review-list" aria-label="Reviews">
            {items.map((review) => (
              <li key={review.id}>
                <p>
                  <Stars rating={review.rating} />{' '}
                  <span className="visually-hidden">{review.rating} out of 5, </span>
                  <strong>{review.username}</strong>{' '}
                  <span className="muted">{formatDate(review.createdAt)}</span>
                </p>
                <p className="review-text">{review.text}</p>
              </li>
            ))}
          </ul>
        )}
        {!user ? (
          <p>
            <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link> to
            review this product.
          </p>
        ) : user.role === 'customer' ? (
          <ReviewForm productId={productId} own={own} />
        ) : null}
      </>
    );
  }
  return (
    <section className="reviews" aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Reviews</h2>
      {content}
    </section>
  );
}

function ReviewForm({ productId, own }: { productId: string; own?: Review }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [rating, setRating] = useState(own?.rating ?? 0);
  const [text, setText] = useState(own?.text ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [missingRating, setMissingRating] = useState(false);

  if (!open)
    return (
      <>
        {saved && (
          <p className="notice success" role="status">
            Thank you: your review is saved.
          </p>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            // The review as the store has it now (it may have been saved a moment ago).
            setRating(own?.rating ?? 0);
            setText(own?.text ?? '');
            setSaved(false);
            setOpen(true);
          }}
        >
          {own ? 'Edit your review' : 'Write a review'}
        </button>
      </>
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (rating === 0) {
      setMissingRating(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (own) await storeApi.editReview(productId, own.id, rating, text.trim());
      else await storeApi.writeReview(productId, rating, text.trim());
      setSaved(true);
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['reviews', productId] });
      await queryClient.invalidateQueries({ queryKey: ['product', productId] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const notBuyer = error instanceof ApiError && error.code === 'PURCHASE_REQUIRED';
  const textProblem = error instanceof ApiError ? error.fieldMessage('text') : undefined;
  return (
    <form className="panel review-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3>{own ? 'Edit your review' : 'Write a review'}</h3>
      {notBuyer ? (
        <div className="notice info" role="alert">
          <p>
            Only shoppers who have bought this product can review it. Once an order of it is
            confirmed, come back and tell others what you think.
          </p>
        </div>
      ) : (
        !textProblem && <ErrorNotice error={error} />
      )}
      <fieldset
        className="rating-choice"
        aria-describedby={missingRating ? 'rating-error' : undefined}
      >
        <legend>Your rating</legend>
        {RATINGS.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="rating"
              value={value}
              checked={rating === value}
              onChange={() => {
                setRating(value);
                setMissingRating(false);
              }}
            />
            {value} {value === 1 ? 'star' : 'stars'}
          </label>
        ))}
        {missingRating && (
          <span id="rating-error" className="field-error" role="alert">
            Choose a rating from 1 to 5 stars.
          </span>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="review-text">Your review</label>
        <textarea
          id="review-text"
          rows={4}
          maxLength={2000}
          required
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={textProblem ? true : undefined}
          aria-describedby={textProblem ? 'review-text-error' : undefined}
        />
        {textProblem && (
          <span id="review-text-error" className="field-error">
            {textProblem}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : own ? 'Save changes' : 'Post review'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
