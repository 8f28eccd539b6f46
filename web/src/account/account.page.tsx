import { Link } from 'react-router';
import { ResendVerification } from '../auth/resend-verification.component';
import { useSession } from '../auth/session.hooks';
import { session } from '../auth/session.store';
import { SignInFirst } from '../shop/sign-in-first.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { ChangeEmailSection } from './change-email.section';
import { ConfirmIdentitySection } from './confirm-identity.section';
import { PasskeysSection } from './passkeys.section';
import { TwoFactorSection } from './two-factor.section';

/** The signed-in person's account: their address, two-factor sign-in and passkeys. */
export function AccountPage() {
  const state = useSession();
  usePageTitle('Your account');
  if (state.status === 'restoring') return <Loading label="Signing you back in…" />;
  if (state.status === 'signed-out') return <SignInFirst title="Your account" />;
  const user = state.user;
  return (
    <>
      <h1>Your account</h1>
      <section className="panel account-section" aria-labelledby="account-profile">
        <h2 id="account-profile">Profile</h2>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>
              {user.firstName} {user.lastName}
            </dd>
          </div>
          <div>
            <dt>Username</dt>
            <dd>{user.username}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>
              {user.email}{' '}
              {user.emailVerified ? (
                <span className="badge ok">confirmed</span>
              ) : (
                <span className="badge low">not confirmed yet</span>
              )}
            </dd>
          </div>
        </dl>
        {!user.emailVerified && (
          <>
            <p>
              Open the link we mailed to {user.email} to confirm it: you can order once it is
              confirmed.
            </p>
            <ResendVerification />
          </>
        )}
        <p>
          <Link to="/orders">Your orders</Link>
        </p>
      </section>
      {session.confirmed() ? (
        <>
          <TwoFactorSection />
          <PasskeysSection />
          <ChangeEmailSection />
        </>
      ) : (
        <ConfirmIdentitySection />
      )}
    </>
  );
}
