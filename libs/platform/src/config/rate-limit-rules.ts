export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

/** One named request limit of a module's routes (`@RateLimit(definition)`). */
export interface RateLimitDefinition {
  name: string;
  /** `RATE_LIMIT_<NAME>`, which overrides the default as `<requests>/<seconds>`. */
  variable: string;
  /** What one budget belongs to: the client's address, or the signed-in account. */
  per: 'address' | 'account';
  defaults: RateLimitRule;
  /** What is counted, for the configuration reference ("searches per client address"). */
  counts: string;
}

/** Each limit's variable is named after it: `passwordReset` is set by `RATE_LIMIT_PASSWORD_RESET`. */
const variableOf = (name: string): string =>
  `RATE_LIMIT_${name.replace(/[A-Z]/g, (upper) => `_${upper}`).toUpperCase()}`;

/**
 * A limit of the public HTTP edge: `points` requests per `durationSeconds` per budget holder by
 * default. The module whose routes it guards declares it; the entrypoint hands every module's
 * limits to the configuration loader (ModuleSettings.rateLimits), which reads their variables.
 */
export const rateLimit = (
  name: string,
  per: RateLimitDefinition['per'],
  [points, durationSeconds]: [number, number],
  counts: string,
): RateLimitDefinition => ({
  name,
  variable: variableOf(name),
  per,
  defaults: { points, durationSeconds },
  counts,
});

export const MAX_RATE_LIMIT_POINTS = 1_000_000;
export const MAX_RATE_LIMIT_SECONDS = 86_400;

/** "1200/60" → { points: 1200, durationSeconds: 60 }; unset → undefined. */
export function parseRateLimitRule(text: string | undefined): RateLimitRule | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not <requests>/<seconds> (e.g. 1200/60)`);
  const points = Number(match[1]);
  const durationSeconds = Number(match[2]);
  if (points < 1 || points > MAX_RATE_LIMIT_POINTS)
    throw new Error(`"${text}": the number of requests must be 1-${MAX_RATE_LIMIT_POINTS}`);
  if (durationSeconds < 1 || durationSeconds > MAX_RATE_LIMIT_SECONDS)
    throw new Error(`"${text}": the window must be 1-${MAX_RATE_LIMIT_SECONDS} seconds`);
  return { points, durationSeconds };
}
