import { rateLimit } from '@mfm/platform/config/rate-limit-rules';

export const SearchLimits = {
  search: rateLimit('search', 'address', [1200, 60], 'searches per client address'),
};
