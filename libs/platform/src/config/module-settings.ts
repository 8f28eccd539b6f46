import type { RateLimitDefinition } from './rate-limit-rules';

/**
 * Settings whose meaning is a module's, read from the environment by the platform's loader (which
 * validates the whole environment at once and lists every bad variable): the loader knows the
 * variables, each module parses its own (src/module-settings.ts gathers them). A parser throws
 * an Error saying what is wrong with the text.
 */
export interface ModuleSettings {
  /** TAX_RATES (orders): basis points per product category. */
  taxRatesBps(text: string | undefined): Record<string, number>;
  /** AUDIT_RETENTION_DAYS (logging): days kept per audit event type, over the module's defaults. */
  auditRetentionDays(text: string | undefined): Record<string, number>;
  /** Every module's request limits, each read from its `RATE_LIMIT_<NAME>` over its default. */
  rateLimits: readonly RateLimitDefinition[];
}

/**
 * For a loader that serves no module (a tool that reads only the platform's settings, the
 * platform's own tests): module settings are left empty, whatever the environment says.
 */
export const NO_MODULE_SETTINGS: ModuleSettings = {
  taxRatesBps: () => ({}),
  auditRetentionDays: () => ({}),
  rateLimits: [],
};
