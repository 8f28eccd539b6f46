import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, NetworkError, describeError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ResendVerification } from '../auth/resend-verification.component';
import { useSession } from '../auth/session.hooks';
import { session } from '../auth/session.store';
import { lineTotalCents, orderItems, type CartLine } from '../cart/cart';
import { useCart } from '../cart/cart.context';
import { keyForCart, type CheckoutKey } from '../cart/checkout-key';
import { formatPrice } from '../format/money.format';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';

/**
 * The key of the checkout under way, kept across reloads: after a lost answer, the retry (even
 * from a reloaded page) sends the same key and gets the first answer back instead of a second
 * order.
 */
const KEY_STORAGE = 'mfm.checkout.key';

function loadKey(): CheckoutKey | undefined {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY_STORAGE) ?? 'null') as CheckoutKey | null;
    return saved && typeof saved.key === 'string' && typeof saved.cart === 'string'
      ? saved
      : undefined;
  } catch {
    return undefined;
  }
}

function saveKey(key: CheckoutKey | undefined): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, JSON.stringify(key));
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage refused: the key still protects double clicks on this page
  }
}

interface ShortLine {
  productId: string;
  name?: string;
  requested: number;
  available: number;
}

export function CheckoutPage() {
  const { lines, subtotalCents, dispatch } = useCart();
  const state = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  usePageTitle('Checkout');
  // The address may have been confirmed in another tab or on another device since sign-in.
  const unconfirmed = state.status === 'signed-in' && !state.user.emailVerified;
  useQuery({
    queryKey: ['me', 'email-verified'],
    queryFn: async () => {
      const me = await storeApi.me();
      session.updateUser(me);
      return me;
    },
    enabled: unconfirmed,
  });

  if (state.status === 'restoring') return <Loading label="Signing you back in…" />;
  if (lines.length === 0) {
    return (
      <>
        <h1>Checkout</h1>
        <p>Your cart is empty.</p>
        <p>
          <Link to="/">Browse the shop</Link>
        </p>
      </>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <>
        <h1>Checkout</h1>
        <p>Sign in to place your order. Your cart is kept.</p>
        <div className="actions">
          <Link className="button" to="/login?next=/checkout">
            Sign in
          </Link>
          <Link className="button secondary" to="/register?next=/checkout">
            Create an account
          </Link>
        </div>
      </>
    );
  }

  const place = async (event: FormEvent) => {
    event.preventDefault();
    // A second click while the first order is on its way does nothing; the key below would
    // make the store answer it with the same order anyway.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(undefined);
    const attempt = keyForCart(lines, loadKey());
    saveKey(attempt);
    try {
      const order = await storeApi.placeOrder(orderItems(lines), attempt.key);
      saveKey(undefined);
      dispatch({ type: 'clear' });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      void queryClient.invalidateQueries({ queryKey: ['catalogue'] });
      void queryClient.invalidateQueries({ queryKey: ['product'] });
      void navigate(`/orders/${order.id}`, { state: { placed: true } });
    } catch (caught) {
      // The store's definitive answer ends this attempt (a changed cart is a new order with a
      // new key); without an answer, or with 5xx, the key stays so a retry cannot order twice.
      if (caught instanceof ApiError && caught.status < 500) saveKey(undefined);
      if (caught instanceof ApiError && caught.status === 401) {
        void navigate('/login?next=/checkout');
        return;
      }
      setError(caught);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  // The store refuses orders from an address nobody has confirmed (403 EMAIL_NOT_VERIFIED):
  // say so before the shopper tries, and offer a new link.
  const unverified =
    !state.user.emailVerified || (error instanceof ApiError && error.code === 'EMAIL_NOT_VERIFIED');
  return (
    <>
      <h1>Checkout</h1>
      {unverified && (
        <div className="notice warning" role={error ? 'alert' : undefined}>
          <h2>Confirm your email address to order</h2>
          <p>
            Open the link we mailed to {state.user.email} when you signed up. Then place your order:
            your cart is kept.
          </p>
          <ResendVerification />
        </div>
      )}
      {error !== undefined &&
        !(error instanceof ApiError && error.code === 'EMAIL_NOT_VERIFIED') && (
          <CheckoutProblem error={error} lines={lines} />
        )}
      <div className="two-columns">
        <section className="table-wrap" aria-labelledby="checkout-lines">
          <table>
            <caption id="checkout-lines">Your order</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Estimated price
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.productId}>
                  <td>{line.name}</td>
                  <td className="num">{line.quantity}</td>
                  <td className="num">{formatPrice(lineTotalCents(line))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <form className="panel" onSubmit={(event) => void place(event)} aria-labelledby="pay">
          <h2 id="pay">Place your order</h2>
          <dl className="totals">
            <div>
              <dt>Estimated subtotal</dt>
              <dd>{formatPrice(subtotalCents)}</dd>
            </div>
          </dl>
          <p className="muted">
            The store prices your order and adds tax when you place it; you see the final total
            right after.
          </p>
          <button type="submit" className="big" disabled={busy} aria-busy={busy}>
            {busy ? 'Placing your order…' : 'Place order'}
          </button>
          <p>
            <Link to="/cart">Change the cart</Link>
          </p>
        </form>
      </div>
    </>
  );
}

/** What went wrong, in the shopper's words, and the one thing to do about it. */
function CheckoutProblem({ error, lines }: { error: unknown; lines: CartLine[] }) {
  const { dispatch } = useCart();
  const nameOf = (productId: string) =>
    lines.find((line) => line.productId === productId)?.name ?? 'A product';

  if (error instanceof ApiError && error.code === 'INSUFFICIENT_STOCK') {
    const short = ((error.details as { items?: ShortLine[] } | undefined)?.items ?? []).map(
      (item) => ({ ...item, name: item.name ?? nameOf(item.productId) }),
    );
    return (
      <div className="notice error" role="alert">
        <h2>Not enough stock</h2>
        <p>Nothing was ordered. Someone was quicker for:</p>
        <ul>
          {short.map((item) => (
            <li key={item.productId}>
              {item.available === 0
                ? `${item.name}: out of stock (you asked for ${item.requested})`
                : `${item.name}: only ${item.available} left (you asked for ${item.requested})`}
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            short.forEach((item) =>
              dispatch({
                type: 'set-quantity',
                productId: item.productId,
                quantity: item.available,
              }),
            )
          }
        >
          Keep only what is in stock
        </button>
      </div>
    );
  }
  if (error instanceof ApiError && error.code === 'UNKNOWN_PRODUCT') {
    const ids = (error.details as { productIds?: string[] } | undefined)?.productIds ?? [];
    return (
      <div className="notice error" role="alert">
        <h2>No longer sold</h2>
        <p>Nothing was ordered. These products are not sold any more:</p>
        <ul>
          {ids.map((id) => (
            <li key={id}>{nameOf(id)}</li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          onClick={() => ids.forEach((id) => dispatch({ type: 'remove', productId: id }))}
        >
          Remove them from my cart
        </button>
      </div>
    );
  }
  if (error instanceof NetworkError || (error instanceof ApiError && error.isUnavailable)) {
    return (
      <div className="notice error" role="alert">
        <h2>The store could not take your order just now</h2>
        <p>
          {error instanceof NetworkError
            ? 'We could not reach the store.'
            : 'Part of the store is not answering.'}{' '}
          Please try again in a moment: placing the order again will never order it twice.
        </p>
      </div>
    );
  }
  return (
    <div className="notice error" role="alert">
      <h2>Your order was not placed</h2>
      <p>{describeError(error)}</p>
    </div>
  );
}
