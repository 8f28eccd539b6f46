import type { ValueTransformer } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';

/**
 * The users module's personal data at rest: names and email addresses are sealed with the data
 * key ring (AES-256-GCM) as they are written and opened as they are read, by a column
 * transformer, so services handle plain values and the database file never holds them. The ring
 * is set once, before the users database opens (see usersMigrations).
 */
let ring: DataKeyRing | undefined;

export function usePersonalDataKeys(keys: DataKeyRing): void {
  ring = keys;
}

export function personalDataKeys(): DataKeyRing {
  if (!ring) throw new Error('The personal data keys are not loaded');
  return ring;
}

/**
 * A column sealed under `context` (e.g. "user.email"): a value never opens in another column. The
 * transformer sees the value only, not its row, so the binding is to the column: a value copied
 * into the same column of another row opens there (writing the database is needed for that, and
 * whoever can write it can change a password hash as well).
 */
export function sealed(context: string): ValueTransformer {
  return {
    to: (value: unknown) =>
      typeof value === 'string' ? personalDataKeys().seal(value, context) : value,
    from: (value: unknown) =>
      typeof value === 'string' && DataKeyRing.isSealed(value)
        ? personalDataKeys().open(value, context)
        : value,
  };
}

/** The normal form of an address for uniqueness and look-ups: trimmed, lower case. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

/** The blind index of an email address: unique, searchable, and not the address. */
export const emailIndex = (email: string, keys: DataKeyRing = personalDataKeys()): string =>
  keys.blindIndex(normalEmail(email), 'user.email');

/**
 * The RS256 private signing keys: sealed by SigningKeysService with the row in hand, so bound to
 * their kid as well as their column. Whoever reads a backup cannot mint tokens without the keys.
 */
export const SIGNING_KEY_CONTEXT = 'signing_key.privateKeyPem';

/** The context a column's value in one row is sealed under. */
export const contextOf = (
  column: { context: string; row?: boolean },
  rowId: string | number,
): string => (column.row ? DataKeyRing.rowContext(column.context, String(rowId)) : column.context);

/**
 * Every sealed column of the users database, with the context it is sealed under: what key
 * rotation re-encrypts. `json`: the column holds JSON whose `sealed` field is the sealed value
 * (mail waiting in the outbox). `row`: the value is bound to its row's key as well.
 */
export const SEALED_COLUMNS: ReadonlyArray<{
  table: string;
  key: string;
  columns: ReadonlyArray<{ name: string; context: string; json?: boolean; row?: boolean }>;
  where?: string;
}> = [
  {
    table: 'signing_key',
    key: 'kid',
    columns: [{ name: 'privateKeyPem', context: SIGNING_KEY_CONTEXT, row: true }],
  },
  {
    table: 'user',
    key: 'id',
    columns: [
      { name: 'email', context: 'user.email' },
      { name: 'firstName', context: 'user.firstName' },
      { name: 'lastName', context: 'user.lastName' },
      { name: 'totpSecret', context: 'user.totpSecret' },
      { name: 'totpPendingSecret', context: 'user.totpPendingSecret' },
    ],
  },
  { table: 'account_token', key: 'id', columns: [{ name: 'data', context: 'account_token.data' }] },
  {
    table: 'store_feedback',
    key: 'id',
    columns: [
      { name: 'name', context: 'store_feedback.name' },
      { name: 'email', context: 'store_feedback.email' },
      { name: 'message', context: 'store_feedback.message' },
    ],
  },
  {
    table: 'outbox_message',
    key: 'seq',
    columns: [{ name: 'body', context: 'outbox.mail', json: true }],
    where: `"target" = 'mail'`,
  },
];
