import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { categoryLabel } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { ratingSummary } from '../format/rating.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { QuantityInput } from '../ui/quantity-input.component';
import { AddToCartButton } from './add-to-cart.component';
import { ReviewsSection, Stars } from './reviews.section';
import { StockNote } from './stock-note.component';

export function ProductPage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const [quantity, setQuantity] = useState(1);
  const product = useQuery({ queryKey: ['product', id], queryFn: () => storeApi.product(id) });
  usePageTitle(product.data?.name ?? 'Product');

  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.error) {
    const gone = product.error instanceof ApiError && product.error.status === 404;
    return (
      <>
        <h1>{gone ? 'This product is not sold any more' : 'The product could not be loaded'}</h1>
        {!gone && <ErrorNotice error={product.error} />}
        <p>
          <Link to="/">Back to the shop</Link>
        </p>
      </>
    );
  }
  const p = product.data;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to="/">Shop</Link>
          </li>
          <li>
            <Link to={`/?category=${encodeURIComponent(p.category)}`}>
              {categoryLabel(p.category)}
            </Link>
          </li>
          <li aria-current="page">{p.name}</li>
        </ol>
      </nav>
      <div className="product-detail">
        <div>
          <h1>{p.name}</h1>
          <p className="rating-summary">
            {p.ratingAverage !== null && <Stars rating={p.ratingAverage} />}{' '}
            <a href="#reviews-heading">{ratingSummary(p.ratingAverage, p.ratingCount)}</a>
          </p>
          <p>{p.description || 'No description yet.'}</p>
          {user?.role === 'employee' && (
            <p>
              <Link to={`/office/products/${p.id}`}>Edit in the back office</Link>
            </p>
          )}
        </div>
        <section className="panel" aria-label="Buy">
          <p className="price">{formatPrice(p.priceCents)}</p>
          <p>
            <StockNote stock={p.stock} />
          </p>
          {p.inStock ? (
            <div className="actions">
              <QuantityInput
                id="product-quantity"
                label={`Quantity of ${p.name}`}
                value={quantity}
                onChange={setQuantity}
              />
              <AddToCartButton
                product={{ productId: p.id, name: p.name, unitPriceCents: p.priceCents }}
                quantity={quantity}
              />
            </div>
          ) : (
            <p className="muted">Out of stock for now. Please check again later.</p>
          )}
          <p>
            <Link to="/cart">Go to your cart</Link>
          </p>
        </section>
      </div>
      <ReviewsSection productId={p.id} />
    </>
  );
}
