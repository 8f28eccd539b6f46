import { useEffect, useState } from 'react';
import type { CartLine } from '../cart/cart';
import { useCart } from '../cart/cart.context';
import { useAnnounce } from '../ui/announcer.context';

/** Adds a product to the cart and says so, on the button and to screen readers. */
export function AddToCartButton({
  product,
  quantity = 1,
  disabled,
}: {
  product: Omit<CartLine, 'quantity'>;
  quantity?: number;
  disabled?: boolean;
}) {
  const { dispatch } = useCart();
  const announce = useAnnounce();
  const [added, setAdded] = useState(false);

  useEffect(() => {
    if (!added) return;
    const timer = setTimeout(() => setAdded(false), 1500);
    return () => clearTimeout(timer);
  }, [added]);

  return (
    <button
      type="button"
      disabled={disabled}
      aria-label={disabled ? `${product.name} is out of stock` : `Add ${product.name} to cart`}
      onClick={() => {
        dispatch({ type: 'add', product, quantity });
        setAdded(true);
        announce(`Added ${quantity} × ${product.name} to your cart`);
      }}
    >
      {disabled ? 'Out of stock' : added ? 'Added ✓' : 'Add to cart'}
    </button>
  );
}
