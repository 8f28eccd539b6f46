import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { LinkRefused } from './link-refused.component';
import { useCurrentUser } from './session.hooks';
import { session } from './session.store';

/** Where the mail to a new address leads: the account takes that address when the page opens. */
export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const user = useCurrentUser();
  usePageTitle('Confirm your new email address');
  const confirmation = useQuery({
    queryKey: ['confirm-email', token],
    queryFn: async () => {
      // Signed in as this account (in this browser), the header and account page follow.
      session.updateUser(await storeApi.confirmEmailChange(token));
      return true;
    },
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  if (!token) return <LinkRefused title="This link is incomplete" kind="email-change" />;
  if (confirmation.isPending) return <Loading label="Confirming your new address…" />;
  if (confirmation.error)
    return confirmation.error instanceof ApiError && confirmation.error.status < 500 ? (
      <LinkRefused
        title="Your new address was not confirmed"
        kind="email-change"
        error={confirmation.error}
      />
    ) : (
      <>
        <h1>Your new address was not confirmed</h1>
        <ErrorNotice error={confirmation.error} />
      </>
    );
  return (
    <div className="form-narrow">
      <h1>Your new email address is confirmed</h1>
      <div className="notice success" role="status">
        <p>
          Your account now uses {user ? <strong>{user.email}</strong> : 'the new address'} for mail
          and sign-in.
        </p>
      </div>
      <p>
        {user ? <Link to="/account">Back to your account</Link> : <Link to="/login">Sign in</Link>}
      </p>
    </div>
  );
}
