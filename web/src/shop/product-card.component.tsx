import { Link } from 'react-router';
import type { SearchHit } from '../api/api.types';
import { categoryLabel } from '../format/dates.format';
import { formatPrice } from '../format/money.format';
import { AddToCartButton } from './add-to-cart.component';
import { StockNote } from './stock-note.component';

export function ProductCard({ product }: { product: SearchHit }) {
  return (
    <article className="product-card" aria-labelledby={`product-${product.id}`}>
      <h2 id={`product-${product.id}`}>
        <Link to={`/products/${product.id}`}>{product.name}</Link>
      </h2>
      <span className="category">{categoryLabel(product.category)}</span>
      <span className="price">{formatPrice(product.priceCents)}</span>
      <StockNote stock={product.stock} />
      <div className="card-actions">
        <AddToCartButton
          product={{
            productId: product.id,
            name: product.name,
            unitPriceCents: product.priceCents,
          }}
          disabled={!product.inStock}
        />
      </div>
    </article>
  );
}
