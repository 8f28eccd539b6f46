/**
 * A start that cannot go on for a reason the operator can fix (a full disk, a database that
 * does not answer). The message is one line naming the module, what failed and what to do; the
 * entrypoint prints it alone and exits with code 2, as for a bad configuration.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Error codes of a file system without room: no space left, or the user's quota spent. */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** The codes an error carries, its own and those of the errors it wraps (driverError, cause). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length > 0 && seen.size < 8) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, driverError, cause } = e as {
      code?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    queue.push(driverError, cause);
  }
  return codes;
}

/** Whether an error means that the file system it wrote to has no room left. */
export function isDiskFull(error: unknown): boolean {
  return errorCodes(error).some((code) => DISK_FULL_CODES.has(code));
}

/** The one line for a data folder that is full when a module starts. */
export function diskFullMessage(
  modules: readonly string[],
  dataDir: string,
  error: unknown,
): string {
  const which =
    modules.length === 1 ? `the ${modules[0]} module` : `the ${modules.join(', ')} modules`;
  const code = errorCodes(error).find((c) => DISK_FULL_CODES.has(c)) ?? 'ENOSPC';
  return (
    `DATA_DIR ${dataDir} is full: ${which} cannot write there to start (${code}). ` +
    'Free space on that disk, or set DATA_DIR to a folder on a disk with room.'
  );
}
