import type { ModuleSettings } from '@mfm/platform/config/module-settings';
import { parseAuditRetention } from './logging/audit-retention';
import { LoggingLimits } from './logging/rate-limits';
import { OrdersLimits } from './orders/rate-limits';
import { parseTaxRates } from './orders/tax-rates';
import { SearchLimits } from './search/rate-limits';
import { UsersLimits } from './users/rate-limits';

/** How each module reads its settings from the environment (loadConfig's `modules`). */
export const MODULE_SETTINGS: ModuleSettings = {
  taxRatesBps: parseTaxRates,
  auditRetentionDays: parseAuditRetention,
  rateLimits: [
    ...Object.values(UsersLimits),
    ...Object.values(SearchLimits),
    ...Object.values(OrdersLimits),
    ...Object.values(LoggingLimits),
  ],
};
