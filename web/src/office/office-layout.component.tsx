import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/session.hooks';
import { SignInFirst } from '../shop/sign-in-first.component';
import { Loading } from '../ui/loading.component';

const SECTIONS = [
  ['/office/products', 'Products'],
  ['/office/orders', 'Orders'],
  ['/office/users', 'Users'],
  ['/office/audit', 'Audit log'],
  ['/office/search', 'Search index'],
  ['/office/backups', 'Backups'],
] as const;

/** The back office: employees only (the store checks every call too). */
export function OfficeLayout() {
  const state = useSession();
  if (state.status === 'restoring') return <Loading label="Signing you back in…" />;
  if (state.status === 'signed-out') return <SignInFirst title="Back office" />;
  if (state.user.role !== 'employee') {
    return (
      <>
        <h1>Back office</h1>
        <p>The back office is for the shop’s employees.</p>
      </>
    );
  }
  return (
    <div className="office">
      <nav className="office-nav" aria-label="Back office">
        <ul>
          <li>
            <NavLink to="/office" end>
              Overview
            </NavLink>
          </li>
          {SECTIONS.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to}>{label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div>
        <Outlet />
      </div>
    </div>
  );
}
