import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { LinkRefused } from './link-refused.component';
import { useCurrentUser } from './session.hooks';
import { session } from './session.store';

/**
 * Where the sign-up mail's link leads: the address is confirmed as soon as the page opens. The
 * token is spent once, so the answer is kept for the page's life (no retry, no refetch).
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  usePageTitle('Confirm your email address');
  const confirmation = useQuery({
    queryKey: ['verify-email', token],
    queryFn: async () => {
      await storeApi.verifyEmail(token);
      // A signed-in shopper may order now: the profile says so at once.
      if (session.get().status === 'signed-in') session.updateUser(await storeApi.me());
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      return true;
    },
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  if (!token)
    return (
      <LinkRefused
        title="This link is incomplete"
        kind="verification"
        resend={user !== undefined}
      />
    );
  if (confirmation.isPending) return <Loading label="Confirming your email address…" />;
  if (confirmation.error)
    return confirmation.error instanceof ApiError && confirmation.error.status < 500 ? (
      <LinkRefused
        title="Your email address was not confirmed"
        kind="verification"
        error={confirmation.error}
        resend={user !== undefined}
      />
    ) : (
      <>
        <h1>Your email address was not confirmed</h1>
        <ErrorNotice error={confirmation.error} />
      </>
    );
  return (
    <div className="form-narrow">
      <h1>Your email address is confirmed</h1>
      <div className="notice success" role="status">
        <p>Thank you. You can now place orders.</p>
      </div>
      <p>{user ? <Link to="/">Continue shopping</Link> : <Link to="/login">Sign in</Link>}</p>
    </div>
  );
}
