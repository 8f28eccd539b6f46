/** Days a module certificate stays valid: within the 398 days browsers and most CAs allow. */
export const DEFAULT_MODULE_CERT_DAYS = 397;
/** Days a new bus CA stays valid. */
export const DEFAULT_CA_DAYS = 3650;
