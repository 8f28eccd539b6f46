import type { ModuleSettings } from '@mfm/platform/config/module-settings';
import { parseAuditRetention } from './logging/audit-retention';
import { parseTaxRates } from './orders/tax-rates';

/** How each module reads its settings from the environment (loadConfig's `modules`). */
export const MODULE_SETTINGS: ModuleSettings = {
  taxRatesBps: parseTaxRates,
  auditRetentionDays: parseAuditRetention,
};
