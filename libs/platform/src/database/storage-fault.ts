import { AppError } from '../errors/error-body';
import { PlatformErrors } from '../errors/error-codes';

/** Seconds a client is asked to wait before retrying a write the storage refused. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLite result codes (extended codes keep the primary code as a prefix, e.g. SQLITE_IOERR_WRITE)
 * that mean the storage under the database is failing, not that the statement was wrong.
 */
const SQLITE_STORAGE_CODES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CORRUPT',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_NOMEM',
];

/**
 * PostgreSQL SQLSTATE classes and codes of the same kind: insufficient resources (53, e.g.
 * 53100 disk_full), system errors (58, e.g. 58030 io_error), internal errors (XX, e.g. XX001
 * data_corrupted), a read-only transaction (25006), lost connections (08) and a server that is
 * shutting down or starting (57P01-57P03).
 */
const POSTGRES_STORAGE_STATES = /^(53|58|XX|08)|^25006$|^57P0[123]$/;

/** Socket errors of a database client whose server went away. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    const { code, driverError } = e as { code?: unknown; driverError?: unknown };
    if (typeof code === 'string') codes.push(code);
    e = driverError;
  }
  return codes;
}

/** Whether an error from the database layer means "the storage cannot take this now". */
export function isStorageFault(error: unknown): boolean {
  if (error instanceof AppError) return false;
  return codesOf(error).some(
    (code) =>
      SQLITE_STORAGE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)) ||
      POSTGRES_STORAGE_STATES.test(code) ||
      CONNECTION_CODES.has(code),
  );
}

/** The answer to a request whose write the storage refused: nothing was saved, retry later. */
export function storageUnavailable(module?: string): AppError {
  return module
    ? PlatformErrors.STORAGE_UNAVAILABLE.error(
        { module },
        { module, retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS },
      )
    : PlatformErrors.STORAGE_READ_UNAVAILABLE.error({
        retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
      });
}
