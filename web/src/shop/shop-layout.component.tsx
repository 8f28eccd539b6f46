import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../auth/session.hooks';
import { session } from '../auth/session.store';
import { useCart } from '../cart/cart.context';
import { SearchBox } from './search-box.component';

/** Header (search, cart, account), the page, and a footer: every page of the app. */
export function ShopLayout() {
  const state = useSession();
  const { itemCount } = useCart();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After a navigation, focus moves to the new page, as a full page load would do.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = main.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else main.current?.focus();
  }, [location.pathname]);

  const signOut = async () => {
    await session.logout();
    queryClient.clear();
    void navigate('/');
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <NavLink to="/" className="brand">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="7" fill="#fff" />
              <path d="M9 13h14l-1.6 10.2a2 2 0 0 1-2 1.8h-6.8a2 2 0 0 1-2-1.8z" fill="#1d6b40" />
              <path d="M12 13c0-3 1.8-5 4-5s4 2 4 5" fill="none" stroke="#1d6b40" strokeWidth="2" />
            </svg>
            Micro Foods Market
          </NavLink>
          <SearchBox key={location.pathname === '/' ? 'catalogue' : 'elsewhere'} />
          <nav className="site-nav" aria-label="Main">
            <NavLink to="/" end>
              Shop
            </NavLink>
            <NavLink to="/cart">
              Cart <span aria-hidden="true">(</span>
              {itemCount}
              <span aria-hidden="true">)</span>
              <span className="visually-hidden"> items</span>
            </NavLink>
            {state.status === 'signed-in' ? (
              <>
                <NavLink to="/orders">Orders</NavLink>
                <NavLink to="/account">Account</NavLink>
                {state.user.role === 'employee' && <NavLink to="/office">Back office</NavLink>}
                <span className="user-name">Hi, {state.user.firstName}</span>
                <button type="button" className="secondary" onClick={() => void signOut()}>
                  Sign out
                </button>
              </>
            ) : state.status === 'signed-out' ? (
              <>
                <NavLink to="/login">Sign in</NavLink>
                <NavLink to="/register">Create account</NavLink>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div>
          Micro Foods Market · prices in pounds sterling, tax added at checkout ·{' '}
          <NavLink to="/contact">Contact us</NavLink> · <a href="/docs">API</a>
        </div>
      </footer>
    </>
  );
}
