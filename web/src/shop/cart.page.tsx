import { Link } from 'react-router';
import { lineTotalCents } from '../cart/cart';
import { useCart } from '../cart/cart.context';
import { formatPrice } from '../format/money.format';
import { usePageTitle } from '../ui/page-title.hook';
import { QuantityInput } from '../ui/quantity-input.component';

export function CartPage() {
  const { lines, itemCount, subtotalCents, dispatch } = useCart();
  usePageTitle('Your cart');

  if (lines.length === 0) {
    return (
      <>
        <h1>Your cart</h1>
        <p>Your cart is empty.</p>
        <p>
          <Link to="/">Browse the shop</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Your cart</h1>
      <div className="two-columns">
        <ul className="cart-lines" aria-label="Products in your cart">
          {lines.map((line) => (
            <li key={line.productId} className="cart-line">
              <div>
                <Link to={`/products/${line.productId}`}>{line.name}</Link>
                <div className="muted">{formatPrice(line.unitPriceCents)} each</div>
              </div>
              <QuantityInput
                id={`quantity-${line.productId}`}
                label={`Quantity of ${line.name}`}
                value={line.quantity}
                onChange={(quantity) =>
                  dispatch({ type: 'set-quantity', productId: line.productId, quantity })
                }
              />
              <span className="line-total" aria-label={`Line total for ${line.name}`}>
                {formatPrice(lineTotalCents(line))}
              </span>
              <button
                type="button"
                className="danger"
                aria-label={`Remove ${line.name} from cart`}
                onClick={() => dispatch({ type: 'remove', productId: line.productId })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <section className="panel" aria-labelledby="cart-summary">
          <h2 id="cart-summary">Summary</h2>
          <dl className="totals">
            <div>
              <dt>Items</dt>
              <dd>{itemCount}</dd>
            </div>
            <div className="grand">
              <dt>Estimated subtotal</dt>
              <dd>{formatPrice(subtotalCents)}</dd>
            </div>
          </dl>
          <p className="muted">The store confirms prices and adds tax when you place the order.</p>
          <Link to="/checkout" className="button big">
            Go to checkout
          </Link>
        </section>
      </div>
    </>
  );
}
