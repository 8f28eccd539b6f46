import type { operations } from '@mfm/client';
import type {
  AuditEvent,
  AuditQuery,
  BackupCodes,
  BackupJob,
  BackupList,
  Feedback,
  MfaStatus,
  NewAccount,
  Order,
  OrderStatus,
  Page,
  Product,
  ProductFields,
  Passkey,
  PasskeyOptions,
  Review,
  ReviewPage,
  Role,
  SearchParams,
  SearchResult,
  SynonymGroup,
  TotpEnrolment,
  User,
} from './api.types';
import { anonymous, answer, signedIn } from './http.client';

// The document describes an order's failure only as "an object"; api.types.ts spells it out.
const asOrder = (answered: Promise<unknown>) => answered as Promise<Order>;

type ProductsQuery = NonNullable<operations['listProducts']['parameters']['query']>;
type UserChanges = Partial<Pick<User, 'firstName' | 'lastName' | 'email' | 'role' | 'enabled'>>;

/** Every route of the store the app uses, through the typed client. */
export const storeApi = {
  register(account: NewAccount): Promise<User> {
    return answer(anonymous.POST('/api/auth/register', { body: account }));
  },

  /**
   * The catalogue through the search index: filters, sorts, paging and category facets in one
   * answer. Sent without the access token: the audit log records what people did, and browsing
   * or typing a few letters is not a change worth a line in it.
   */
  search(params: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
    return answer(anonymous.GET('/api/search', { params: { query: params }, signal }));
  },

  product(id: string): Promise<Product> {
    return answer(anonymous.GET('/api/products/{id}', { params: { path: { id } } }));
  },

  products(query: ProductsQuery): Promise<Page<Product>> {
    return answer(anonymous.GET('/api/products', { params: { query } }));
  },

  placeOrder(
    items: Array<{ productId: string; quantity: number }>,
    idempotencyKey: string,
  ): Promise<Order> {
    return asOrder(
      answer(
        signedIn.POST('/api/orders', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: { items },
        }),
      ),
    );
  },

  orders(query: {
    page?: number;
    limit?: number;
    status?: OrderStatus;
    userId?: string;
  }): Promise<Page<Order>> {
    return answer(signedIn.GET('/api/orders', { params: { query } })) as Promise<Page<Order>>;
  },

  order(id: string): Promise<Order> {
    return asOrder(answer(signedIn.GET('/api/orders/{id}', { params: { path: { id } } })));
  },

  cancelOrder(id: string): Promise<Order> {
    return asOrder(answer(signedIn.POST('/api/orders/{id}/cancel', { params: { path: { id } } })));
  },

  // Mailed links: sign-up verification, password reset, email change

  verifyEmail(token: string): Promise<void> {
    return answer(anonymous.POST('/api/auth/verify-email', { body: { token } }));
  },

  resendVerification(): Promise<unknown> {
    return answer(signedIn.POST('/api/users/me/email-verification'));
  },

  requestPasswordReset(email: string): Promise<unknown> {
    return answer(anonymous.POST('/api/auth/password-reset', { body: { email } }));
  },

  resetPassword(token: string, newPassword: string): Promise<void> {
    return answer(
      anonymous.POST('/api/auth/password-reset/confirm', { body: { token, newPassword } }),
    );
  },

  requestEmailChange(newEmail: string, password: string): Promise<unknown> {
    return answer(signedIn.POST('/api/users/me/email', { body: { newEmail, password } }));
  },

  /** The account with its new address. */
  confirmEmailChange(token: string): Promise<User> {
    return answer(anonymous.POST('/api/auth/email-change/confirm', { body: { token } }));
  },

  me(): Promise<User> {
    return answer(signedIn.GET('/api/users/me'));
  },

  // Two-factor sign-in and passkeys (the signed-in account's own)

  mfaStatus(): Promise<MfaStatus> {
    return answer(signedIn.GET('/api/users/me/mfa'));
  },

  startTotp(): Promise<TotpEnrolment> {
    return answer(signedIn.POST('/api/users/me/mfa/totp'));
  },

  confirmTotp(code: string): Promise<BackupCodes> {
    return answer(signedIn.POST('/api/users/me/mfa/totp/confirm', { body: { code } }));
  },

  regenerateBackupCodes(code: string): Promise<BackupCodes> {
    return answer(signedIn.POST('/api/users/me/mfa/backup-codes', { body: { code } }));
  },

  disableMfa(password: string, code: string): Promise<void> {
    return answer(signedIn.POST('/api/users/me/mfa/disable', { body: { password, code } }));
  },

  passkeySignInOptions(): Promise<PasskeyOptions> {
    return answer(anonymous.POST('/api/auth/passkey/options'));
  },

  passkeys(): Promise<Passkey[]> {
    return answer(signedIn.GET('/api/users/me/passkeys'));
  },

  passkeyRegistrationOptions(): Promise<PasskeyOptions> {
    return answer(signedIn.POST('/api/users/me/passkeys/options'));
  },

  addPasskey(challengeId: string, credential: Record<string, unknown>, name: string) {
    return answer(
      signedIn.POST('/api/users/me/passkeys', { body: { challengeId, credential, name } }),
    );
  },

  removePasskey(passkeyId: string): Promise<void> {
    return answer(
      signedIn.DELETE('/api/users/me/passkeys/{passkeyId}', { params: { path: { passkeyId } } }),
    );
  },

  // Reviews and the contact form

  reviews(productId: string, page = 1): Promise<ReviewPage> {
    return answer(
      anonymous.GET('/api/products/{id}/reviews', {
        params: { path: { id: productId }, query: { page, limit: 50 } },
      }),
    );
  },

  writeReview(productId: string, rating: number, text: string): Promise<Review> {
    return answer(
      signedIn.POST('/api/products/{id}/reviews', {
        params: { path: { id: productId } },
        body: { rating, text },
      }),
    );
  },

  editReview(productId: string, reviewId: string, rating: number, text: string): Promise<Review> {
    return answer(
      signedIn.PATCH('/api/products/{id}/reviews/{reviewId}', {
        params: { path: { id: productId, reviewId } },
        body: { rating, text },
      }),
    );
  },

  sendFeedback(feedback: Feedback): Promise<unknown> {
    return answer(signedIn.POST('/api/feedback', { body: feedback }));
  },

  // Back office (employees)

  createProduct(fields: ProductFields): Promise<Product> {
    return answer(signedIn.POST('/api/products', { body: fields }));
  },

  /** Changes only the given fields, and only if the product is still at `version`. */
  updateProduct(id: string, changes: Partial<ProductFields>, version: number): Promise<Product> {
    return answer(
      signedIn.PATCH('/api/products/{id}', {
        params: { path: { id }, header: { 'If-Match': `"${version}"` } },
        body: changes,
      }),
    );
  },

  archiveProduct(id: string, version: number): Promise<void> {
    return answer(
      signedIn.DELETE('/api/products/{id}', {
        params: { path: { id }, header: { 'If-Match': `"${version}"` } },
      }),
    );
  },

  users(query: {
    role?: Role;
    enabled?: boolean;
    page?: number;
    limit?: number;
  }): Promise<Page<User>> {
    return answer(signedIn.GET('/api/users', { params: { query } }));
  },

  user(id: string): Promise<User> {
    return answer(signedIn.GET('/api/users/{id}', { params: { path: { id } } }));
  },

  createUser(account: NewAccount & { role: Role }): Promise<User> {
    return answer(signedIn.POST('/api/users', { body: account }));
  },

  updateUser(id: string, changes: UserChanges): Promise<User> {
    return answer(signedIn.PATCH('/api/users/{id}', { params: { path: { id } }, body: changes }));
  },

  auditLog(query: AuditQuery): Promise<Page<AuditEvent>> {
    return answer(signedIn.GET('/api/logs', { params: { query } })) as Promise<Page<AuditEvent>>;
  },

  /** Starts a rebuild of the search index (it runs in the background) and follows it to its end. */
  async reindex(): Promise<{ indexed: number }> {
    let job = await answer(signedIn.POST('/api/search/reindex'));
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      job = await answer(signedIn.GET('/api/search/reindex'));
    }
    if (job.state === 'failed') throw new Error(job.error ?? 'The rebuild failed');
    return { indexed: job.read };
  },

  /** The groups of words the search treats as the same, by first word. */
  synonymGroups(): Promise<SynonymGroup[]> {
    return answer(signedIn.GET('/api/search/synonyms'));
  },

  createSynonymGroup(terms: string[]): Promise<SynonymGroup> {
    return answer(signedIn.POST('/api/search/synonyms', { body: { terms } }));
  },

  /** Replaces the group's words, only if it is still at `version`. */
  updateSynonymGroup(id: string, terms: string[], version: number): Promise<SynonymGroup> {
    return answer(
      signedIn.PUT('/api/search/synonyms/{id}', {
        params: { path: { id } },
        body: { terms, version },
      }),
    );
  },

  deleteSynonymGroup(id: string): Promise<void> {
    return answer(signedIn.DELETE('/api/search/synonyms/{id}', { params: { path: { id } } }));
  },

  /** The verified backups, newest first, with the running or last backup and the settings. */
  backups(): Promise<BackupList> {
    return answer(signedIn.GET('/api/backups'));
  },

  /** Starts a backup (it runs in the background; follow it with `backups()`): the job. */
  startBackup(): Promise<BackupJob> {
    return answer(signedIn.POST('/api/backups'));
  },

  /** One backup's archive (.tar.gz), fetched with the access token a plain link would not send. */
  backupFile(name: string): Promise<Blob> {
    return answer(
      signedIn.GET('/api/backups/{name}', { params: { path: { name } }, parseAs: 'blob' }),
    );
  },
};
