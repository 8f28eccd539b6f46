import { createContext, useCallback, useContext, useEffect, useMemo, useReducer } from 'react';
import type { ReactNode } from 'react';
import { cartReducer, cartTotals, parseStoredCart, type CartAction, type CartLine } from './cart';

/** The cart lives in the browser: it survives reloads and is shared by the shop's tabs. */
const CART_KEY = 'mfm.cart.v1';

function loadCart(): CartLine[] {
  try {
    return parseStoredCart(localStorage.getItem(CART_KEY));
  } catch {
    return [];
  }
}

interface CartContextValue {
  lines: CartLine[];
  itemCount: number;
  subtotalCents: number;
  dispatch: (action: CartAction) => void;
}

const CartContext = createContext<CartContextValue | undefined>(undefined);

export function CartProvider({ children }: { children: ReactNode }) {
  const [lines, dispatch] = useReducer(cartReducer, undefined, loadCart);

  useEffect(() => {
    try {
      localStorage.setItem(CART_KEY, JSON.stringify(lines));
    } catch {
      // storage full or refused: the cart still works for this page
    }
  }, [lines]);

  // Another tab changed the cart: show the same one here.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === CART_KEY)
        dispatch({ type: 'replace', lines: parseStoredCart(event.newValue) });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const stableDispatch = useCallback((action: CartAction) => dispatch(action), []);
  const value = useMemo(
    () => ({ lines, ...cartTotals(lines), dispatch: stableDispatch }),
    [lines, stableDispatch],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartContextValue {
  const value = useContext(CartContext);
  if (!value) throw new Error('useCart outside CartProvider');
  return value;
}
