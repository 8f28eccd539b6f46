import { MODULE_NAMES, ModuleName, isModuleName } from './module-names';

export class UnknownServiceError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `Unknown service${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. ` +
        `Valid services: ${MODULE_NAMES.join(', ')} (comma-separated for several; omit to run all).`,
    );
  }
}

export class MissingServiceError extends UnknownServiceError {
  constructor() {
    super([]);
    this.message =
      `--service needs a value: ${MODULE_NAMES.join(', ')} (comma-separated for several), ` +
      'or all; leave the flag out to run all five.';
  }
}

/**
 * Reads which modules this process hosts from `--service a,b` / `--service=a` or `SERVICE`.
 * The flag wins over the variable so a container's default can be overridden on the command line.
 */
export function selectServices(argv: readonly string[], env: NodeJS.ProcessEnv): ModuleName[] {
  const flag = flagValue(argv, '--service');
  // A flag without its value is a mistake (a script's empty variable, say), not "all modules".
  if (flag !== undefined && flag.trim() === '') throw new MissingServiceError();
  const raw = flag ?? env.SERVICE;
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return [...MODULE_NAMES];
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isModuleName(name));
  if (unknown.length > 0 || names.length === 0)
    throw new UnknownServiceError(unknown.length ? unknown : [raw]);
  // Keep the canonical order and drop repeats.
  return MODULE_NAMES.filter((name) => names.includes(name));
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === flag) {
      const next = argv[i + 1];
      return next === undefined || next.startsWith('--') ? '' : next;
    }
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}
